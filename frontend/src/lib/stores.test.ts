import { beforeEach, describe, expect, it, vi } from 'vitest';
import { get } from 'svelte/store';

// The api layer is the only seam to Go; fake it here.
const handlers = new Map<string, (d: unknown) => void>();
// A knowledge base in memory, behind the kb* calls.
const article = (key: string, title: string) => ({ id: 0, key, title, body: '', tags: '', lang: 'en', url: '', source: '/kb', updatedAt: '' });
let kbFake = [article('returns', 'Returns'), article('shipping', 'Shipping')];
let watched: string[] = [];
vi.mock('./api', () => ({
  api: {
    settings: vi.fn(async () => ({ ollamaHost: 'h:1', chatModel: 'm', embedModel: '', agentLang: 'en', uiLang: 'en' })),
    status: vi.fn(async () => ({ state: 'checking', host: 'h:1', models: [] })),
    conversations: vi.fn(async () => [
      { id: 7, title: 'Parcel', customerName: 'Emma', lastMessage: 'where?', messageCount: 2 },
      { id: 8, title: '包裹', customerName: '王女士', lastMessage: '在哪', messageCount: 1 },
    ]),
    messages: vi.fn(async (id: number) => [{ id: id * 10, conversationId: id, role: 'customer', text: `m${id}` }]),
    saveSettings: vi.fn(async () => {}),
    clipboardWatch: vi.fn(async () => false),
    apiStatus: vi.fn(async () => ({ listening: true, url: 'http://127.0.0.1:8765', error: '' })),
    setActive: vi.fn(async () => {}),
    knowledge: vi.fn(async (id: number, semantic: boolean) => ({
      hits: [{ article: { id: 1, key: 'k', title: `${semantic ? 'fused' : 'words'} for ${id}`, url: '', lang: '' }, passage: 'p', matches: [], score: 1, via: ['words'] }],
      semanticError: semantic ? 'Ollama is not reachable' : undefined,
    })),
    similar: vi.fn(async (id: number) => [{ conversation: { id: 100 + id, title: 'solved' }, question: 'q', resolution: 'r', matches: [], score: 1 }]),
    addMessage: vi.fn(async (id: number, role: string, text: string) => ({ id: 99, conversationId: id, role, text })),
    setClipboardWatch: vi.fn(async (on: boolean) => on),
    chooseTranscript: vi.fn(async () => '/tmp/chats.csv'),
    importTranscript: vi.fn(async () => {
      handlers.get('import:progress')!({ path: '/tmp/chats.csv', done: 50, total: 100 });
      expect(get(stores.importState)?.done).toBe(50);
      return { conversations: 2, messages: 3, duplicates: 0, skipped: [{ line: 5, reason: 'empty text' }] };
    }),
    recheck: vi.fn(async () => {}),
    kbList: vi.fn(async (q: string) => {
      const list = kbFake.filter((a) => a.title.toLowerCase().includes(q.toLowerCase()));
      return { articles: list, total: list.length };
    }),
    kbArticle: vi.fn(async (key: string) => ({ ...kbFake.find((a) => a.key === key)!, body: `text of ${key}` })),
    kbDelete: vi.fn(async (key: string) => {
      kbFake = kbFake.filter((a) => a.key !== key);
    }),
    kbChooseFolder: vi.fn(async () => '/home/agent/help-center'),
    kbChooseFile: vi.fn(async () => ''),
    kbImport: vi.fn(async (path: string, watch: boolean) => {
      expect(get(stores.kbImportState)?.total).toBe(0); // reading: no total yet
      handlers.get('kb:progress')!({ path, done: 1, total: 2 });
      expect(get(stores.kbImportState)?.done).toBe(1);
      kbFake = [...kbFake, article('faq', 'FAQ')];
      if (watch) watched = [path];
      return { source: path, added: ['faq'], updated: [], unchanged: 2, removed: [], skipped: [{ where: 'bad.csv:3', reason: 'no id' }] };
    }),
    kbCancel: vi.fn(async () => {}),
    kbSources: vi.fn(async () => [
      { path: '/kb', articles: kbFake.length, watched: watched.includes('/kb'), last: null, error: '', at: '' },
      ...watched.filter((w) => w !== '/kb').map((w) => ({ path: w, articles: 1, watched: true, last: null, error: '', at: '' })),
    ]),
    kbSetWatch: vi.fn(async (path: string, on: boolean) => {
      watched = on ? [...watched, path] : watched.filter((w) => w !== path);
    }),
    on: (name: string, fn: (d: unknown) => void) => {
      handlers.set(name, fn);
      return () => handlers.delete(name);
    },
  },
}));

import * as stores from './stores';
import { uiLang } from './i18n';
import { Events } from './events';

describe('stores', () => {
  beforeEach(() => handlers.clear());

  it('loads, selects the first conversation and follows events', async () => {
    const off = await stores.init();
    expect(get(stores.conversations)?.length).toBe(2);
    expect(get(stores.selectedId)).toBe(7);
    expect(get(stores.messages)?.[0].text).toBe('m7');
    expect(get(stores.knowledge)?.[0].article.title).toBe('words for 7'); // no embedding model: words alone
    expect(get(stores.similar)?.[0].conversation.id).toBe(107);

    await stores.selectNext(1);
    expect(get(stores.selectedId)).toBe(8);
    expect(get(stores.messages)?.[0].text).toBe('m8');
    await stores.selectNext(1); // stays on the last
    expect(get(stores.selectedId)).toBe(8);

    handlers.get(Events.statusChanged)!({ state: 'unreachable', host: 'h:1' });
    expect(get(stores.status).state).toBe('unreachable');

    handlers.get(Events.settingsChanged)!({ ollamaHost: 'h:1', chatModel: 'm', embedModel: 'e', agentLang: 'en', uiLang: 'zh-CN' });
    expect(get(uiLang)).toBe('zh-CN');
    // With an embedding model the fused ranking follows the words, with the reason it fell back.
    await stores.select(7);
    expect(get(stores.knowledge)?.[0].article.title).toBe('fused for 7');
    expect(get(stores.knowledgeNote)).toBe('Ollama is not reachable');

    handlers.get(Events.kbEmbedding)!({ model: 'e', done: 3, total: 9, error: '', over: false });
    expect(get(stores.embedding)?.done).toBe(3);
    handlers.get(Events.kbEmbedding)!({ model: 'e', done: 9, total: 9, error: '', over: true });
    expect(get(stores.embedding)).toBeNull();

    off();
    expect(handlers.size).toBe(0);
  });

  it('adds typed messages to the open conversation and follows the clipboard watch', async () => {
    const off = await stores.init();
    const { api } = await import('./api');
    await stores.select(8);
    expect(api.setActive).toHaveBeenLastCalledWith(8);
    await stores.addMessage('agent', 'On its way.');
    expect(api.addMessage).toHaveBeenCalledWith(8, 'agent', 'On its way.');

    await stores.toggleClipboardWatch();
    expect(get(stores.clipboardWatch)).toBe(true);
    handlers.get(Events.clipboardChanged)!(false);
    expect(get(stores.clipboardWatch)).toBe(false);

    expect(get(stores.apiStatus).listening).toBe(true);
    handlers.get(Events.apiChanged)!({ listening: false, url: 'http://127.0.0.1:8765', error: 'port taken' });
    expect(get(stores.apiStatus).error).toBe('port taken');

    handlers.get(Events.ingestFailed)!('text is empty');
    expect(get(stores.notice)).toBe('text is empty');
    off();
  });

  it('imports a transcript with progress and a report', async () => {
    const off = await stores.init();
    await stores.importTranscript();
    const st = get(stores.importState)!;
    expect(st.report?.messages).toBe(3);
    expect(st.done).toBe(st.total);
    stores.closeImport();
    expect(get(stores.importState)).toBeNull();
    off();
  });

  it('manages the knowledge base: list, search, open, delete, import, watch', async () => {
    const off = await stores.init();
    const { api } = await import('./api');
    await stores.openKB();
    expect(get(stores.kbOpen)).toBe(true);
    expect(get(stores.kbArticles)?.articles.map((a) => a.key)).toEqual(['returns', 'shipping']);
    expect(get(stores.kbSources)[0].articles).toBe(2);

    await stores.searchKB('ship');
    expect(get(stores.kbArticles)?.articles.map((a) => a.key)).toEqual(['shipping']);
    await stores.searchKB('');

    await stores.openArticle('returns');
    expect(get(stores.kbArticle)?.body).toBe('text of returns');
    vi.mocked(api.knowledge).mockClear();
    await stores.deleteArticle('returns');
    expect(api.kbDelete).toHaveBeenCalledWith('returns');
    expect(get(stores.kbArticle)).toBeNull();
    expect(get(stores.kbArticles)?.total).toBe(1);
    expect(api.knowledge).toHaveBeenCalled(); // the open conversation's articles follow

    await stores.importKB('folder', true);
    expect(api.kbImport).toHaveBeenCalledWith('/home/agent/help-center', true);
    const st = get(stores.kbImportState)!;
    expect(st.report?.added).toEqual(['faq']);
    expect(st.done).toBe(st.total);
    expect(get(stores.kbArticles)?.total).toBe(2);
    expect(get(stores.kbSources).find((s) => s.path === '/home/agent/help-center')?.watched).toBe(true);
    stores.closeKBReport();
    expect(get(stores.kbImportState)).toBeNull();

    await stores.importKB('file', false); // cancelled in the file dialog
    expect(get(stores.kbImportState)).toBeNull();

    await stores.setWatch('/kb', true);
    expect(get(stores.kbSources)[0].watched).toBe(true);

    // A watched folder re-imported by itself: the view reloads.
    kbFake = [...kbFake, article('new', 'New')];
    handlers.get(Events.kbChanged)!(undefined);
    await vi.waitFor(() => expect(get(stores.kbArticles)?.total).toBe(3));

    vi.mocked(api.kbDelete).mockRejectedValueOnce('article gone does not exist');
    await stores.deleteArticle('gone');
    expect(get(stores.kbError)).toBe('article gone does not exist');

    stores.closeKB();
    expect(get(stores.kbOpen)).toBe(false);
    off();
  });

  it('applies saved settings at once', async () => {
    await stores.saveSettings({
      ollamaHost: 'h:2', chatModel: 'm', embedModel: '', agentLang: 'en', uiLang: 'en', ingestPort: 8765, ingestToken: 't',
      chatwootMode: 'off', chatwootUrl: '', chatwootAccountId: 0, chatwootToken: '', chatwootSecret: '',
    });
    expect(get(stores.settings)?.ollamaHost).toBe('h:2');
    expect(get(uiLang)).toBe('en');
  });
});
