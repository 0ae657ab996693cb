import { beforeEach, describe, expect, it, vi } from 'vitest';
import { get } from 'svelte/store';

// The api layer is the only seam to Go; fake it here.
const handlers = new Map<string, (d: unknown) => void>();
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

  it('applies saved settings at once', async () => {
    await stores.saveSettings({
      ollamaHost: 'h:2', chatModel: 'm', embedModel: '', agentLang: 'en', uiLang: 'en', ingestPort: 8765, ingestToken: 't',
      chatwootMode: 'off', chatwootUrl: '', chatwootAccountId: 0, chatwootToken: '', chatwootSecret: '',
    });
    expect(get(stores.settings)?.ollamaHost).toBe('h:2');
    expect(get(uiLang)).toBe('en');
  });
});
