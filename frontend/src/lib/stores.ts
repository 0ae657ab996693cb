// App state, fed by the api layer and by events from Go. Components read
// these stores and call the actions below; they never call the api directly.
import { get, writable } from 'svelte/store';
import { api } from './api';
import { Events } from './events';
import { uiLang } from './i18n';
import type { Conversation, Message, Settings, Status, UILang } from './types';

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
  }
}

/** Loads everything and subscribes to Go's events; returns the unsubscribe. */
export async function init(): Promise<() => void> {
  const offs = [
    api.on<Status>(Events.statusChanged, (s) => status.set(s)),
    api.on<Settings>(Events.settingsChanged, applySettings),
    api.on<void>(Events.conversationsChanged, () => void loadConversations().catch(fail)),
  ];
  try {
    const [s, st] = await Promise.all([api.settings(), api.status()]);
    applySettings(s);
    status.set(st);
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
  try {
    const list = await api.messages(id);
    if (get(selectedId) === id) messages.set(list);
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
