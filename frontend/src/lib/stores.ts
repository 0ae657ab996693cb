// App state, fed by the api layer and by events from Go. Components read
// these stores and call the actions below; they never call the api directly.
import { get, writable } from 'svelte/store';
import { api } from './api';
import { Events } from './events';
import { uiLang } from './i18n';
import type {
  APIStatus, Conversation, EmbedProgress, ImportProgress, ImportReport, KnowledgeHit, Message, Settings, SimilarConversation, Status, UILang,
} from './types';

export const settings = writable<Settings | null>(null);
export const status = writable<Status>({
  state: 'checking', host: '', version: '', chatModel: '', embedModel: '', missingModel: '', detail: '', models: [],
});
/** null while loading. */
export const conversations = writable<Conversation[] | null>(null);
export const selectedId = writable<number | null>(null);
/** null while loading or with nothing selected. */
export const messages = writable<Message[] | null>(null);
export const loadError = writable('');
/** Articles for the open conversation; null while loading. */
export const knowledge = writable<KnowledgeHit[] | null>(null);
/** Why the last search was by words alone although an embedding model is set; '' otherwise. */
export const knowledgeNote = writable('');
/** Resolved conversations like the open one; null while loading. */
export const similar = writable<SimilarConversation[] | null>(null);
/** Embedding of the knowledge base under way or just failed; null when there is nothing to show. */
export const embedding = writable<EmbedProgress | null>(null);
export const clipboardWatch = writable(false);
export const apiStatus = writable<APIStatus>({ listening: false, url: '', error: '' });
/** The transcript import under way or just finished; null when there is none to show. */
export const importState = writable<{
  path: string;
  done: number;
  total: number;
  report: ImportReport | null;
  error: string;
} | null>(null);
/** A passing message for the agent, e.g. a clipboard text that could not be added. */
export const notice = writable('');

function applySettings(s: Settings) {
  settings.set(s);
  uiLang.set((s.uiLang === 'zh-CN' ? 'zh-CN' : 'en') as UILang);
}

async function loadConversations() {
  const list = await api.conversations();
  conversations.set(list);
  const sel = get(selectedId);
  if (list.length > 0 && (sel === null || !list.some((c) => c.id === sel))) {
    await select(list[0].id);
  } else if (sel !== null) {
    // Refresh the open transcript in place: no loading flash for a new message.
    const msgs = await api.messages(sel);
    if (get(selectedId) === sel) messages.set(msgs);
    await loadKnowledge(sel);
  }
}

// Words first, at once; then, with an embedding model set, the fused
// ranking replaces them when the query's embedding is back.
async function loadKnowledge(id: number) {
  const words = await api.knowledge(id, false);
  if (get(selectedId) !== id) return;
  knowledge.set(words.hits ?? []);
  if (get(settings)?.embedModel) {
    const fused = await api.knowledge(id, true);
    if (get(selectedId) !== id) return;
    knowledge.set(fused.hits ?? []);
    knowledgeNote.set(fused.semanticError ?? '');
  }
  const past = await api.similar(id);
  if (get(selectedId) === id) similar.set(past ?? []);
}

/** Loads everything and subscribes to Go's events; returns the unsubscribe. */
export async function init(): Promise<() => void> {
  const offs = [
    api.on<Status>(Events.statusChanged, (s) => status.set(s)),
    api.on<Settings>(Events.settingsChanged, applySettings),
    api.on<void>(Events.conversationsChanged, () => void loadConversations().catch(fail)),
    api.on<boolean>(Events.clipboardChanged, (on) => clipboardWatch.set(on)),
    api.on<APIStatus>(Events.apiChanged, (s) => apiStatus.set(s)),
    api.on<string>(Events.ingestFailed, (e) => notice.set(e)),
    api.on<EmbedProgress>(Events.kbEmbedding, (p) => embedding.set(p.over && !p.error ? null : p)),
    api.on<ImportProgress>(Events.importProgress, (p) =>
      importState.update((s) => (s && !s.report ? { ...s, done: p.done, total: p.total } : s)),
    ),
  ];
  try {
    const [s, st, clip, apiSt] = await Promise.all([api.settings(), api.status(), api.clipboardWatch(), api.apiStatus()]);
    applySettings(s);
    status.set(st);
    clipboardWatch.set(clip);
    apiStatus.set(apiSt);
    await loadConversations();
  } catch (e) {
    fail(e);
  }
  return () => offs.forEach((off) => off());
}

function fail(e: unknown) {
  loadError.set(String(e));
}

export async function select(id: number) {
  selectedId.set(id);
  messages.set(null);
  knowledge.set(null);
  knowledgeNote.set('');
  similar.set(null);
  try {
    await api.setActive(id);
    const list = await api.messages(id);
    if (get(selectedId) === id) messages.set(list);
    await loadKnowledge(id);
  } catch (e) {
    fail(e);
  }
}

/** Moves the selection up (-1) or down (+1) the conversation list. */
export async function selectNext(step: 1 | -1) {
  const list = get(conversations) ?? [];
  if (list.length === 0) return;
  const i = list.findIndex((c) => c.id === get(selectedId));
  const next = list[Math.min(list.length - 1, Math.max(0, i + step))];
  if (next) await select(next.id);
}

/** Saves settings; the Go side validates, stores and applies them at once. */
export async function saveSettings(s: Settings) {
  await api.saveSettings(s);
  applySettings(s);
}

export function recheck() {
  void api.recheck();
}

export const defaultSettings = () => api.defaultSettings();
export const databasePath = () => api.databasePath();

/** Adds a typed or pasted message to the open conversation. */
export async function addMessage(role: 'customer' | 'agent', text: string) {
  const id = get(selectedId);
  if (id === null) throw new Error('no conversation is open');
  await api.addMessage(id, role, text);
  await loadConversations();
}

/** Starts a conversation for messages typed or pasted by hand, and opens it. */
export async function newConversation(title: string, customerName: string) {
  const c = await api.newConversation(title, customerName);
  await loadConversations();
  await select(c.id);
}

export async function toggleClipboardWatch() {
  clipboardWatch.set(await api.setClipboardWatch(!get(clipboardWatch)));
}

export const copyText = (text: string) => api.copy(text);

/** Asks for a transcript file and imports it, with progress and a report. */
export async function importTranscript() {
  const path = await api.chooseTranscript();
  if (!path) return;
  importState.set({ path, done: 0, total: 0, report: null, error: '' });
  try {
    const report = await api.importTranscript(path);
    importState.update((s) => s && { ...s, done: s.total, report });
    await loadConversations();
  } catch (e) {
    importState.update((s) => s && { ...s, error: String(e) });
  }
}

export const cancelImport = () => api.cancelImport();
export const closeImport = () => importState.set(null);

/** Sends the agent's confirmed reply (or a private note) to the open Chatwoot conversation. */
export async function sendToChatwoot(text: string, isPrivate: boolean) {
  const id = get(selectedId);
  if (id === null) throw new Error('no conversation is open');
  await api.sendToChatwoot(id, text, isPrivate);
  await loadConversations();
}
