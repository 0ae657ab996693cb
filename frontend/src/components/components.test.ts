import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { get } from 'svelte/store';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';

const recheck = vi.fn(async () => {});
const sendToChatwoot = vi.fn(async () => {});
const kbDelete = vi.fn(async () => {});
const kbCancel = vi.fn(async () => {});
vi.mock('../lib/api', () => ({
  api: {
    recheck: () => recheck(),
    sendToChatwoot: (...a: unknown[]) => sendToChatwoot(...(a as [])),
    conversations: async () => [],
    kbDelete: (...a: unknown[]) => kbDelete(...(a as [])),
    kbCancel: () => kbCancel(),
    kbList: async () => ({ articles: [], total: 0 }),
    kbSources: async () => [],
  },
}));

import StatusBar from './StatusBar.svelte';
import SuggestionPanel from './SuggestionPanel.svelte';
import Composer from './Composer.svelte';
import KBView from './KBView.svelte';
import {
  conversations, embedding, kbArticle, kbArticles, kbImportState, kbOpen, kbQuery, kbSources, knowledge, knowledgeNote, selectedId, similar, status,
} from '../lib/stores';
import { uiLang } from '../lib/i18n';

afterEach(() => {
  cleanup();
  uiLang.set('en');
  selectedId.set(null);
  knowledge.set(null);
  knowledgeNote.set('');
  similar.set(null);
  embedding.set(null);
  kbArticles.set(null);
  kbArticle.set(null);
  kbImportState.set(null);
  kbSources.set([]);
  kbQuery.set('');
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

describe('KBView', () => {
  const art = (key: string, title: string, lang: string) => ({
    id: 1, key, title, body: '', tags: '', lang, url: '', source: '/home/agent/help-center', updatedAt: '2026-11-24T09:30:00Z',
  });

  it('says how to fill an empty knowledge base, in English and Chinese', () => {
    kbArticles.set({ articles: [], total: 0 });
    render(KBView);
    expect(screen.getByRole('dialog').textContent).toContain('No articles yet — import a folder or a CSV/JSONL file.');
    cleanup();
    uiLang.set('zh-CN');
    render(KBView);
    expect(screen.getByRole('dialog').textContent).toContain('还没有文章 — 请导入一个文件夹或 CSV/JSONL 文件。');
    expect(screen.getByRole('button', { name: '导入文件夹…' })).toBeTruthy();
  });

  it('lists articles with their id, source, language and date', () => {
    kbArticles.set({ articles: [art('returns.md', 'Returns', 'en'), art('zh/退货.md', '退货政策', 'zh-CN')], total: 2 });
    const { container } = render(KBView);
    expect(screen.getByTestId('kb-count').textContent).toBe('2 articles');
    const rows = [...container.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      ['Returns', 'returns.md', 'help-center', 'en'],
      ['退货政策', 'zh/退货.md', 'help-center', 'zh-CN'],
    ]);
    expect(rows[0][4]).toMatch(/\d/); // a date, as the agent's locale writes it
  });

  it('shows an article in full and deletes it only after the agent confirms', async () => {
    kbArticles.set({ articles: [art('returns.md', 'Returns', 'en')], total: 1 });
    kbArticle.set({ ...art('returns.md', 'Returns', 'en'), body: 'Within 14 days of receipt.' });
    render(KBView);
    expect(screen.getByRole('dialog').textContent).toContain('Within 14 days of receipt.');
    await fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    expect(kbDelete).not.toHaveBeenCalled();
    expect(screen.getByRole('alertdialog').textContent).toContain('Delete "Returns" from the knowledge base?');
    await fireEvent.keyDown(window, { key: 'Escape' }); // Esc backs out of the question, not the view
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(kbDelete).toHaveBeenCalledWith('returns.md');
  });

  it('shows the progress of an import, then its report with what was skipped and why', async () => {
    kbArticles.set({ articles: [], total: 0 });
    kbImportState.set({ path: '/home/agent/help-center', done: 0, total: 0, report: null, error: '' });
    render(KBView);
    expect(screen.getByRole('dialog').textContent).toContain('Importing help-center');
    expect(screen.getByRole('dialog').textContent).toContain('Reading files…');
    await fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(kbCancel).toHaveBeenCalled();
    kbImportState.set({ path: '/home/agent/help-center', done: 2, total: 4, report: null, error: '' });
    await Promise.resolve();
    expect((screen.getByRole('progressbar') as HTMLProgressElement).value).toBe(50);
    kbImportState.set({
      path: '/home/agent/help-center', done: 4, total: 4, error: '',
      report: { source: '/home/agent/help-center', added: ['a', 'b'], updated: ['c'], unchanged: 1, removed: [], skipped: [{ where: 'bad.csv:3', reason: 'no id' }] },
    });
    await Promise.resolve();
    const text = screen.getByRole('dialog').textContent;
    expect(text).toContain('Imported help-center');
    expect(text).toContain('2 added, 1 updated, 1 unchanged, 0 removed, 1 skipped.');
    expect(text).toContain('bad.csv:3: no id');
  });

  it('shows watched sources with their last re-import, and Esc closes the view', async () => {
    kbOpen.set(true);
    kbArticles.set({ articles: [art('returns.md', 'Returns', 'en')], total: 1 });
    kbSources.set([
      { path: 'demo', articles: 3, watched: false, last: null, error: '', at: '' },
      { path: '/home/agent/help-center', articles: 1, watched: true, error: '', at: '2026-11-24T09:31:00Z',
        last: { source: '/home/agent/help-center', added: [], updated: ['returns.md'], unchanged: 0, removed: [], skipped: [] } },
    ]);
    const { container } = render(KBView);
    const items = [...container.querySelectorAll('.sources li')];
    expect(items[0].querySelector('input')).toBeNull(); // the demo is no folder to watch
    expect((items[1].querySelector('input') as HTMLInputElement).checked).toBe(true);
    expect(items[1].textContent).toContain('0 added, 1 updated, 0 unchanged, 0 removed, 0 skipped.');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(get(kbOpen)).toBe(false);
  });
});
