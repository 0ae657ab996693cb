import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { get } from 'svelte/store';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';

const recheck = vi.fn(async () => {});
const sendToChatwoot = vi.fn(async () => {});
const kbDelete = vi.fn(async () => {});
const kbCancel = vi.fn(async () => {});
const feedback = vi.fn(async () => {});
const regenerate = vi.fn(async () => {});
vi.mock('../lib/api', () => ({
  api: {
    recheck: () => recheck(),
    sendToChatwoot: (...a: unknown[]) => sendToChatwoot(...(a as [])),
    conversations: async () => [],
    kbDelete: (...a: unknown[]) => kbDelete(...(a as [])),
    kbCancel: () => kbCancel(),
    kbList: async () => ({ articles: [], total: 0 }),
    kbSources: async () => [],
    databasePath: async () => '/tmp/tandem.db',
    feedback: (...a: unknown[]) => feedback(...(a as [])),
    regenerate: (...a: unknown[]) => regenerate(...(a as [])),
    translateReply: async (_id: number, text: string) => ({ text: `Hello: ${text}`, from: 'zh', to: 'en', missing: [{ source: '顺丰', target: 'SF Express', lang: '' }] }),
  },
}));

import StatusBar from './StatusBar.svelte';
import SuggestionPanel from './SuggestionPanel.svelte';
import Composer from './Composer.svelte';
import KBView from './KBView.svelte';
import ConversationList from './ConversationList.svelte';
import SettingsDialog from './SettingsDialog.svelte';
import {
  composerRole, composerText, conversations, embedding, replyTranslation, settings, turns, kbArticle, kbArticles, kbImportState, kbOpen, kbQuery, kbSources, knowledge, knowledgeNote, selectedId, similar, status,
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
  turns.set({});
  composerText.set('');
  composerRole.set('customer');
  replyTranslation.set(null);
});

const hit = (id: number, title: string) => ({ article: { id, key: `k${id}`, title, url: '', lang: 'en' }, passage: 'p', matches: [], score: 1, via: ['words'] });
// A suggest:update for conversation 1.
function update(o: Record<string, unknown> = {}, sg: Record<string, unknown> = {}) {
  return {
    conversationId: 1, messageId: 10, suggestionId: 20, status: 'done',
    suggestion: { draft: 'Open a trace [1] or reship [2].', citations: [1, 2], followups: [], sentiment: 'calm', urgency: 'normal', intent: '', language: 'en', handover: false, ...sg },
    articles: [hit(3, 'Delayed parcels'), hit(4, 'Lost packages')], known: {}, dropped: [], repaired: false, flagged: false, tone: '', error: '',
    ...o,
  };
}

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

describe('SuggestionPanel: live suggestions', () => {
  const section = (c: HTMLElement, name: string) => c.querySelector(`section[data-section="${name}"]`) as HTMLElement;

  it('grows the draft as it streams, then offers the actions', async () => {
    selectedId.set(1);
    turns.set({ 1: { update: update({ status: 'streaming' }, { draft: 'Open a tr', citations: [] }) } });
    const { container } = render(SuggestionPanel);
    const draft = section(container, 'draft');
    expect(draft.querySelector('[data-draft]')?.textContent).toContain('Open a tr');
    expect(draft.textContent).toContain('writing…');
    expect((screen.getByRole('button', { name: 'Insert' }) as HTMLButtonElement).disabled).toBe(true);

    turns.set({ 1: { update: update() } });
    flushSync();
    expect(draft.querySelector('[data-draft]')?.textContent).toBe('Open a trace [1] or reship [2].');
    expect(draft.textContent).not.toContain('writing…');
    // Citations name their article.
    const cites = [...draft.querySelectorAll('a.cite')] as HTMLElement[];
    expect(cites.map((a) => a.title)).toEqual(['From: Delayed parcels', 'From: Lost packages']);
    expect(draft.querySelector('[data-cited="2"]')?.textContent).toContain('Lost packages');

    await fireEvent.click(screen.getByRole('button', { name: 'Insert' }));
    expect(get(composerText)).toBe('Open a trace [1] or reship [2].');
    expect(get(composerRole)).toBe('agent');
    expect(feedback).toHaveBeenCalledWith(20, 'inserted', 'Open a trace [1] or reship [2].', '');

    await fireEvent.click(screen.getByRole('button', { name: 'Poor suggestion' }));
    await fireEvent.input(screen.getByPlaceholderText('What was wrong? (optional)'), { target: { value: 'wrong policy' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(feedback).toHaveBeenCalledWith(20, 'thumbs_down', '', 'wrong policy');

    await fireEvent.change(screen.getByRole('combobox', { name: 'Tone' }), { target: { value: 'formal' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Regenerate' }));
    expect(regenerate).toHaveBeenCalledWith(1, 'formal');

    await fireEvent.keyDown(window, { code: 'KeyD', key: 'd', altKey: true });
    expect(feedback).toHaveBeenCalledWith(20, 'dismissed', '', '');
    expect(draft.textContent).toContain('Dismissed.');
  });

  it('shows a cancelled draft struck through, never as finished', () => {
    selectedId.set(1);
    turns.set({ 1: { update: update({ status: 'cancelled', suggestionId: 21 }) } });
    const { container } = render(SuggestionPanel);
    const draft = section(container, 'draft');
    expect(draft.textContent).toContain('Replaced by a newer message.');
    expect(draft.querySelector('.draft.replaced')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Insert' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('flags instructions in the message, a repaired answer, the mood and a handover, in Chinese too', () => {
    selectedId.set(1);
    turns.set({ 1: { update: update({ flagged: true, repaired: true, suggestionId: 22 }, { sentiment: 'angry', urgency: 'high', handover: true }) } });
    const { container } = render(SuggestionPanel);
    const draft = section(container, 'draft');
    expect(draft.querySelector('[data-flagged]')?.textContent).toBe('This message tries to give the assistant instructions; it was treated as text.');
    expect(draft.querySelector('[data-repaired]')).toBeTruthy();
    expect(draft.querySelector('[data-mood="angry"]')?.textContent).toBe('Angry');
    expect(draft.querySelector('[data-urgency="high"]')?.textContent).toBe('Urgent');
    expect(draft.querySelector('[data-handover]')?.textContent).toBe('Consider handing over to a senior colleague');
    uiLang.set('zh-CN');
    flushSync();
    expect(draft.querySelector('[data-flagged]')?.textContent).toBe('这条消息试图向助手下达指令；已按普通文本处理。');
    expect(draft.querySelector('[data-handover]')?.textContent).toBe('建议转交给资深同事处理');
  });

  it('says why there is no draft when the model failed, with Regenerate to retry', async () => {
    selectedId.set(1);
    turns.set({ 1: { update: update({ status: 'failed', error: 'Ollama is not reachable at 127.0.0.1:11434', suggestionId: 23 }, { draft: '', citations: [] }) } });
    render(SuggestionPanel);
    expect(screen.getByRole('alert').textContent).toBe('No draft: Ollama is not reachable at 127.0.0.1:11434');
    await fireEvent.keyDown(window, { code: 'KeyR', key: 'r', altKey: true });
    expect(regenerate).toHaveBeenCalledWith(1, '');
  });

  it('lists follow-ups with Insert, and the facts not asked again', async () => {
    selectedId.set(1);
    turns.set({ 1: { update: update({ suggestionId: 24, known: { 'order number': '#100482', email: 'emma@example.com' } }, { followups: ['Which size do you need?', 'Is the box unopened?'] }) } });
    const { container } = render(SuggestionPanel);
    const fu = section(container, 'followups');
    expect([...fu.querySelectorAll('[data-followup] span')].map((e) => e.textContent)).toEqual(['Which size do you need?', 'Is the box unopened?']);
    expect(fu.querySelector('[data-known]')?.textContent).toBe('Not asked again: order number #100482, email emma@example.com');
    uiLang.set('zh-CN');
    flushSync();
    expect(fu.querySelector('[data-known]')?.textContent).toBe('不再询问：订单号 #100482, 邮箱 emma@example.com');
    uiLang.set('en');
    flushSync();
    await fireEvent.click(fu.querySelectorAll('button')[1]);
    expect(get(composerText)).toBe('Is the box unopened?');
    // Alt+N selects the first follow-up; Alt+I inserts it.
    await fireEvent.keyDown(window, { code: 'KeyN', key: 'n', altKey: true });
    expect(fu.querySelector('[data-followup].focused span')?.textContent).toBe('Which size do you need?');
    await fireEvent.keyDown(window, { code: 'KeyI', key: 'i', altKey: true });
    expect(get(composerText)).toBe('Which size do you need?');
  });

  it('shows the customer message translated, with glossary terms it did not keep', () => {
    selectedId.set(1);
    turns.set({ 1: { update: update({ suggestionId: 25 }), translation: {
      conversationId: 1, messageId: 10, suggestionId: 26, status: 'done', text: '我的顺丰包裹在哪里？', from: 'en', to: 'zh-CN',
      missing: [{ source: '顺丰', target: 'SF Express', lang: '' }], error: '',
    } } });
    const { container } = render(SuggestionPanel);
    const tr = section(container, 'translation');
    expect(tr.querySelector('[data-translated]')?.textContent).toBe('我的顺丰包裹在哪里？');
    expect(tr.querySelector('[data-missing]')?.textContent?.trim()).toBe('Glossary terms not kept: 顺丰 → SF Express');
  });

  it('says when no translation is needed', () => {
    selectedId.set(1);
    turns.set({ 1: { update: update({ suggestionId: 27 }) } });
    const { container } = render(SuggestionPanel);
    expect(section(container, 'translation').textContent).toContain('No translation needed');
  });
});

describe('ConversationList', () => {
  it('flags an upset or urgent customer', () => {
    conversations.set([
      { id: 1, source: 'api', externalId: 'a', title: 'Parcel', customerName: 'Emma', customerLang: 'en', status: 'open', lastMessage: '', messageCount: 1, updatedAt: '' },
      { id: 2, source: 'api', externalId: 'b', title: 'Size', customerName: 'Sam', customerLang: 'en', status: 'open', lastMessage: '', messageCount: 1, updatedAt: '' },
    ]);
    turns.set({ 1: { update: update({}, { sentiment: 'worried', urgency: 'high' }) }, 2: { update: update({ conversationId: 2 }) } });
    const { container } = render(ConversationList);
    const items = [...container.querySelectorAll('li')];
    expect([...items[0].querySelectorAll('[data-flag]')].map((e) => e.textContent)).toEqual(['Upset', 'Urgent']);
    expect(items[1].querySelector('[data-flag]')).toBeNull();
  });
});

describe('SettingsDialog', () => {
  it('edits the glossary: add and remove terms', async () => {
    settings.set({
      ollamaHost: 'h', chatModel: 'm', embedModel: '', agentLang: 'zh-CN', uiLang: 'en', ingestPort: 8765, ingestToken: 't', chatwootMode: 'off',
      chatwootUrl: '', chatwootAccountId: 0, chatwootToken: '', chatwootSecret: '', glossary: [{ source: '顺丰', target: 'SF Express', lang: '' }],
    });
    const { container } = render(SettingsDialog, { onclose: () => {} });
    const g = container.querySelector('[data-glossary]') as HTMLElement;
    expect((g.querySelector('input') as HTMLInputElement).value).toBe('顺丰');
    await fireEvent.click(screen.getByRole('button', { name: '+ Add term' }));
    expect(g.querySelectorAll('tbody tr')).toHaveLength(2);
    await fireEvent.click(screen.getAllByRole('button', { name: 'Remove' })[0]);
    expect(g.querySelectorAll('tbody tr')).toHaveLength(1);
    expect((g.querySelector('input') as HTMLInputElement).value).toBe('');
  });
});

describe('Composer', () => {
  it('translates the reply for a customer of another language, and shows both', async () => {
    conversations.set([{ id: 6, source: 'api', externalId: 'x', title: 't', customerName: '', customerLang: 'en', status: 'open', lastMessage: '', messageCount: 0, updatedAt: '' }]);
    settings.set({ agentLang: 'zh-CN' } as never);
    selectedId.set(6);
    composerRole.set('agent');
    composerText.set('包裹今天发出');
    const { container } = render(Composer);
    await fireEvent.click(screen.getByRole('button', { name: 'Translate for the customer' }));
    await vi.waitFor(() => expect(container.querySelector('[data-reply-translation]')).toBeTruthy());
    const box = container.querySelector('[data-reply-translation]') as HTMLElement;
    expect(box.textContent).toContain('Hello: 包裹今天发出');
    expect(box.textContent).toContain('Glossary terms not kept: 顺丰 → SF Express');
    expect((screen.getByRole('textbox') as HTMLTextAreaElement).value).toBe('包裹今天发出');
    settings.set(null);
  });

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
