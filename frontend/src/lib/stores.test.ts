import { beforeEach, describe, expect, it, vi } from 'vitest';
import { get } from 'svelte/store';

// The api layer is the only seam to Go; fake it here.
const handlers = new Map<string, (d: unknown) => void>();
// A knowledge base in memory, behind the kb* calls.
const article = (key: string, title: string) => ({ id: 0, key, title, body: '', tags: '', lang: 'en', url: '', source: '/kb', updatedAt: '' });
let kbFake = [article('returns', 'Returns'), article('shipping', 'Shipping')];
let watched: string[] = [];
// A suggest:update with the fields a test cares about.
function upd(o: { conversationId: number; suggestionId: number; messageId?: number; status?: string; draft?: string; sentiment?: string; urgency?: string; followups?: string[] }) {
  return {
    conversationId: o.conversationId, messageId: o.messageId ?? o.suggestionId, suggestionId: o.suggestionId, status: o.status ?? 'done',
    suggestion: { draft: o.draft ?? 'Sorry about that.', citations: [], followups: o.followups ?? [], sentiment: o.sentiment ?? 'calm', urgency: o.urgency ?? 'normal', intent: '', language: 'en', handover: false },
    articles: [], known: {}, dropped: [], repaired: false, flagged: false, tone: '', error: '',
  };
}
vi.mock('./api', () => ({
  api: {
    settings: vi.fn(async () => ({ ollamaHost: 'h:1', chatModel: 'm', embedModel: '', agentLang: 'en', uiLang: 'en' })),
    status: vi.fn(async () => ({ state: 'checking', host: 'h:1', models: [] })),
    conversations: vi.fn(async () => [
      { id: 7, title: 'Parcel', customerName: 'Emma', lastMessage: 'where?', messageCount: 2 },
      { id: 8, title: '包裹', customerName: '王女士', lastMessage: '在哪', messageCount: 1, sentiment: 'angry', urgency: 'normal' },
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
    // Conversation 8 was left with a finished draft for an angry customer; 7 has none yet.
    latest: vi.fn(async (id: number) => (id === 8 ? { update: upd({ conversationId: 8, suggestionId: 80, sentiment: 'angry' }) } : {})),
    feedback: vi.fn(async () => {}),
    regenerate: vi.fn(async () => {}),
    copy: vi.fn(async () => {}),
    translateReply: vi.fn(async (_id: number, text: string) => ({ text: `zh:${text}`, from: 'en', to: 'zh-CN', missing: [] })),
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

  describe('live suggestions', () => {
    it('keeps each conversation its own suggestion: another conversation\'s update never overwrites', async () => {
      const off = await stores.init();
      await stores.select(7);
      const send = handlers.get(Events.suggestUpdate)!;
      send(upd({ conversationId: 7, suggestionId: 70, status: 'streaming', draft: 'Your parcel' }));
      send(upd({ conversationId: 9, suggestionId: 90, status: 'streaming', draft: 'Other customer' }));
      expect(get(stores.currentTurn)?.update?.suggestion.draft).toBe('Your parcel');
      expect(get(stores.turns)[9].update?.suggestion.draft).toBe('Other customer');
      // An older suggestion of the same conversation arriving late does not replace the newer one.
      send(upd({ conversationId: 7, suggestionId: 69, status: 'done', draft: 'stale' }));
      expect(get(stores.currentTurn)?.update?.suggestion.draft).toBe('Your parcel');
      off();
    });

    it('never shows a cancelled draft as done', async () => {
      const off = await stores.init();
      await stores.select(7);
      const send = handlers.get(Events.suggestUpdate)!;
      send(upd({ conversationId: 7, suggestionId: 71, status: 'streaming', draft: 'Half a dr' }));
      send(upd({ conversationId: 7, suggestionId: 71, status: 'cancelled', draft: 'Half a dr' }));
      expect(get(stores.currentTurn)?.update?.status).toBe('cancelled');
      send(upd({ conversationId: 7, suggestionId: 71, status: 'streaming', draft: 'Half a draft' })); // a late piece
      expect(get(stores.currentTurn)?.update?.status).toBe('cancelled');
      // Late pieces of the cancelled stream cannot bring it back.
      send(upd({ conversationId: 7, suggestionId: 72, status: 'streaming', draft: 'New' }));
      expect(get(stores.currentTurn)?.update?.suggestionId).toBe(72);
      // And Insert does nothing with a cancelled draft.
      send(upd({ conversationId: 7, suggestionId: 72, status: 'cancelled', draft: 'New' }));
      stores.composerText.set('');
      stores.insertFocused();
      expect(get(stores.composerText)).toBe('');
      off();
    });

    it('records shown once, and edited when an inserted draft was changed before it was added', async () => {
      const off = await stores.init();
      const { api } = await import('./api');
      await stores.select(7);
      vi.mocked(api.feedback).mockClear();
      const send = handlers.get(Events.suggestUpdate)!;
      send(upd({ conversationId: 7, suggestionId: 73, status: 'streaming', draft: 'We will' }));
      expect(api.feedback).not.toHaveBeenCalled(); // not finished: not shown yet
      send(upd({ conversationId: 7, suggestionId: 73, draft: 'We will reship today.' }));
      send(upd({ conversationId: 7, suggestionId: 73, draft: 'We will reship today.' }));
      await stores.select(8);
      await stores.select(7);
      expect(vi.mocked(api.feedback).mock.calls.filter((c) => c[0] === 73 && c[1] === 'shown')).toHaveLength(1);

      stores.insertFocused();
      expect(get(stores.composerText)).toBe('We will reship today.');
      expect(get(stores.composerRole)).toBe('agent');
      expect(api.feedback).toHaveBeenCalledWith(73, 'inserted', 'We will reship today.', '');
      await stores.addMessage('agent', 'We will reship today, Emma.');
      expect(api.feedback).toHaveBeenCalledWith(73, 'edited', 'We will reship today, Emma.', '');

      // Used as is: no edited.
      vi.mocked(api.feedback).mockClear();
      stores.insertFocused();
      await stores.addMessage('agent', 'We will reship today.');
      expect(vi.mocked(api.feedback).mock.calls.map((c) => c[1])).toEqual(['inserted']);
      off();
    });

    it('cycles the selection among draft and follow-ups with Alt+N, and Insert takes the selected one', async () => {
      const off = await stores.init();
      await stores.select(7);
      handlers.get(Events.suggestUpdate)!(upd({ conversationId: 7, suggestionId: 74, draft: 'D', followups: ['Which size?', 'Which colour?'] }));
      stores.focusNextSuggestion();
      stores.focusNextSuggestion();
      stores.insertFocused();
      expect(get(stores.composerText)).toBe('Which colour?');
      stores.focusNextSuggestion(); // back to the draft
      stores.insertFocused();
      expect(get(stores.composerText)).toBe('D');
      off();
    });

    it('flags upset or urgent customers in the list, from the database and from events', async () => {
      const off = await stores.init();
      await vi.waitFor(() => expect(get(stores.moods)[8]).toEqual({ upset: true, urgent: false }));
      expect(get(stores.moods)[7]).toBeUndefined();
      handlers.get(Events.suggestUpdate)!(upd({ conversationId: 7, suggestionId: 75, urgency: 'high' }));
      expect(get(stores.moods)[7]).toEqual({ upset: false, urgent: true });
      // The customer calmed down: the latest suggestion decides.
      handlers.get(Events.suggestUpdate)!(upd({ conversationId: 8, suggestionId: 81, sentiment: 'calm' }));
      expect(get(stores.moods)[8]).toBeUndefined();
      off();
    });

    it('keeps a translation of the selected conversation, and drops one for an older message', async () => {
      const off = await stores.init();
      await stores.select(7);
      handlers.get(Events.suggestUpdate)!(upd({ conversationId: 7, suggestionId: 77, messageId: 500 }));
      const tr = (messageId: number, suggestionId: number, text: string) =>
        ({ conversationId: 7, messageId, suggestionId, status: 'done', text, from: 'en', to: 'zh-CN', missing: [], error: '' });
      handlers.get(Events.suggestTranslation)!(tr(499, 78, 'old'));
      expect(get(stores.currentTurn)?.translation).toBeFalsy();
      handlers.get(Events.suggestTranslation)!(tr(500, 79, '包裹在哪'));
      expect(get(stores.currentTurn)?.translation?.text).toBe('包裹在哪');
      off();
    });

    it('translates the reply for a customer of another language', async () => {
      const off = await stores.init();
      await stores.select(8);
      stores.settings.update((s) => s && { ...s, agentLang: 'zh-CN' });
      expect(get(stores.needsReplyTranslation)).toBe(true); // Latest says the customer writes en
      await stores.translateReply('您好');
      expect(get(stores.replyTranslation)?.text).toBe('zh:您好');
      stores.settings.update((s) => s && { ...s, agentLang: 'en-GB' });
      expect(get(stores.needsReplyTranslation)).toBe(false);
      off();
    });
  });
});
