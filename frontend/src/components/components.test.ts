import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';

const recheck = vi.fn(async () => {});
const sendToChatwoot = vi.fn(async () => {});
vi.mock('../lib/api', () => ({
  api: {
    recheck: () => recheck(),
    sendToChatwoot: (...a: unknown[]) => sendToChatwoot(...(a as [])),
    conversations: async () => [],
  },
}));

import StatusBar from './StatusBar.svelte';
import SuggestionPanel from './SuggestionPanel.svelte';
import Composer from './Composer.svelte';
import { conversations, embedding, knowledge, knowledgeNote, selectedId, similar, status } from '../lib/stores';
import { uiLang } from '../lib/i18n';

afterEach(() => {
  cleanup();
  uiLang.set('en');
  selectedId.set(null);
  knowledge.set(null);
  knowledgeNote.set('');
  similar.set(null);
  embedding.set(null);
});

describe('StatusBar', () => {
  it('says how to start Ollama when it is down, and retries', async () => {
    status.set({ state: 'unreachable', host: '127.0.0.1:11434', version: '', chatModel: 'qwen2.5:3b', embedModel: '', missingModel: '', detail: '', models: [] });
    render(StatusBar);
    expect(screen.getByRole('status').textContent).toContain('Ollama is not reachable at 127.0.0.1:11434 — start it with `ollama serve`');
    await fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(recheck).toHaveBeenCalled();
  });

  it('shows the connection when all is well, in Chinese too', async () => {
    status.set({ state: 'ok', host: '127.0.0.1:11434', version: '0.6.5', chatModel: 'qwen2.5:3b', embedModel: '', missingModel: '', detail: '', models: [] });
    uiLang.set('zh-CN');
    render(StatusBar);
    expect(screen.getByRole('status').textContent).toContain('Ollama 0.6.5（127.0.0.1:11434）· 模型 qwen2.5:3b');
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('SuggestionPanel', () => {
  it('has the four sections, each with an honest empty state', () => {
    const { container } = render(SuggestionPanel);
    const sections = [...container.querySelectorAll('section')];
    expect(sections.map((s) => s.dataset.section)).toEqual(['knowledge', 'draft', 'translation', 'followups']);
    for (const s of sections) {
      expect(s.textContent).toContain("No suggestions yet: waiting for the customer's next message.");
    }
  });

  it('shows the matching passage of each article, highlighted', () => {
    selectedId.set(1);
    knowledge.set([
      { article: { id: 3, key: 'k', title: 'Delayed parcels', url: '', lang: 'en' }, passage: 'Open a trace when tracking stalls.', matches: ['tracking'], score: 2, via: ['words', 'meaning'] },
      { article: { id: 4, key: 'j', title: 'Lost packages', url: '', lang: 'en' }, passage: 'We reship.', matches: [], score: 1, via: ['meaning'] },
    ]);
    const { container } = render(SuggestionPanel);
    const k = container.querySelector('[data-section="knowledge"]')!;
    expect(k.textContent).toContain('Delayed parcels');
    expect([...k.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['tracking']);
    expect(k.textContent).toContain('Matched: tracking');
    const via = [...k.querySelectorAll('li')].map((li) => [...li.querySelectorAll('.via')].map((v) => v.getAttribute('data-via')));
    expect(via).toEqual([['words', 'meaning'], ['meaning']]);
  });

  it('shows resolved conversations like this one, and why search fell back to words', () => {
    selectedId.set(1);
    knowledge.set([]);
    knowledgeNote.set('Ollama is not reachable at h:1');
    embedding.set({ model: 'nomic-embed-text', done: 32, total: 96, error: '', over: false });
    similar.set([{
      conversation: { id: 9, source: 'demo', externalId: 'x', title: 'Parcel stuck in customs', customerName: '', customerLang: '', status: 'ended', lastMessage: '', messageCount: 4, updatedAt: '' },
      question: 'My parcel is stuck in customs', resolution: 'I opened a trace with the courier.', matches: ['customs'], score: 3,
    }]);
    const { container } = render(SuggestionPanel);
    const k = container.querySelector('[data-section="knowledge"]')!;
    expect(k.textContent).toContain('Solved before');
    expect(k.textContent).toContain('Parcel stuck in customs');
    expect(k.textContent).toContain('I opened a trace with the courier.');
    expect(k.querySelector('.similar mark')?.textContent).toBe('customs');
    expect(k.querySelector('[data-note="words-only"]')?.textContent).toContain('Ollama is not reachable at h:1');
    expect(k.querySelector('[data-note="embedding"]')?.textContent).toContain('32 of 96');

    similar.set([]);
    flushSync();
    expect(k.textContent).not.toContain('Parcel stuck in customs');
    expect(k.querySelector('[data-similar="none"]')?.textContent).toContain('No resolved conversation like this one yet.');
  });

  it('says so when nothing matches', () => {
    selectedId.set(1);
    knowledge.set([]);
    const { container } = render(SuggestionPanel);
    expect(container.querySelector('[data-section="knowledge"]')!.textContent).toContain('No article in the knowledge base matches');
  });
});

describe('Composer', () => {
  it('sends to Chatwoot only after the agent confirms', async () => {
    conversations.set([{ id: 5, source: 'chatwoot', externalId: '42', title: 't', customerName: '', customerLang: '', status: 'open', lastMessage: '', messageCount: 0, updatedAt: '' }]);
    selectedId.set(5);
    render(Composer);
    await fireEvent.input(screen.getByRole('textbox'), { target: { value: 'It ships today.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send to Chatwoot' }));
    expect(sendToChatwoot).not.toHaveBeenCalled();
    expect(screen.getByText('Send this to the customer in Chatwoot?')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(sendToChatwoot).toHaveBeenCalledWith(5, 'It ships today.', false);
  });

  it('offers no Chatwoot buttons for other conversations', () => {
    conversations.set([{ id: 6, source: 'api', externalId: 'x', title: 't', customerName: '', customerLang: '', status: 'open', lastMessage: '', messageCount: 0, updatedAt: '' }]);
    selectedId.set(6);
    render(Composer);
    expect(screen.queryByRole('button', { name: 'Send to Chatwoot' })).toBeNull();
  });
});
