// Interface text in English and Simplified Chinese. Every key must exist in
// both; a test checks it.
import { derived, writable } from 'svelte/store';
import type { UILang } from './types';

const en = {
  'app.name': 'Tandem',
  'conversations.title': 'Conversations',
  'conversations.empty': 'No conversations yet: they appear here when a customer message arrives.',
  'conversations.loading': 'Loading conversations…',
  'conversations.messages': '{n} messages',
  'transcript.none': 'Select a conversation on the left to follow it here.',
  'transcript.empty': 'No messages in this conversation yet.',
  'transcript.customer': 'Customer',
  'transcript.agent': 'Agent',
  'suggestions.title': 'Suggestions',
  'suggestions.knowledge': 'Knowledge',
  'suggestions.draft': 'Draft',
  'suggestions.translation': 'Translation',
  'suggestions.followups': 'Follow-ups',
  'suggestions.empty': "No suggestions yet: waiting for the customer's next message.",
  'status.checking': 'Checking Ollama at {host}…',
  'status.ok': 'Ollama {version} at {host} · model {model}',
  'status.unreachable': 'Ollama is not reachable at {host} — start it with `ollama serve`',
  'status.modelMissing': 'model {model} is not installed — `ollama pull {model}` or choose another in Settings',
  'status.failing': 'Ollama at {host} answered with an error: {detail}',
  'status.retry': 'Retry',
  'settings.title': 'Settings',
  'settings.open': 'Settings (Ctrl+,)',
  'settings.ollamaHost': 'Ollama host',
  'settings.ollamaHostHint': 'host:port or URL; the default comes from OLLAMA_HOST',
  'settings.chatModel': 'Chat model',
  'settings.embedModel': 'Embedding model',
  'settings.embedModelNone': 'None (keyword search only)',
  'settings.installed': 'Installed: {models}',
  'settings.noneInstalled': 'No models installed on this server.',
  'settings.agentLang': 'Your language',
  'settings.uiLang': 'Interface language',
  'settings.database': 'Database: {path}',
  'settings.save': 'Save',
  'settings.saving': 'Saving…',
  'settings.saved': 'Saved and applied.',
  'settings.cancel': 'Close',
  'settings.reset': 'Reset to defaults',
  'error.load': 'Could not load: {error}',
} as const;

export type Key = keyof typeof en;

const zh: Record<Key, string> = {
  'app.name': 'Tandem',
  'conversations.title': '会话',
  'conversations.empty': '暂无会话：收到顾客消息后会显示在这里。',
  'conversations.loading': '正在加载会话…',
  'conversations.messages': '{n} 条消息',
  'transcript.none': '在左侧选择一个会话，即可在此跟进。',
  'transcript.empty': '此会话还没有消息。',
  'transcript.customer': '顾客',
  'transcript.agent': '客服',
  'suggestions.title': '建议',
  'suggestions.knowledge': '知识库',
  'suggestions.draft': '回复草稿',
  'suggestions.translation': '翻译',
  'suggestions.followups': '追问',
  'suggestions.empty': '暂无建议：等待顾客的下一条消息。',
  'status.checking': '正在检查 Ollama（{host}）…',
  'status.ok': 'Ollama {version}（{host}）· 模型 {model}',
  'status.unreachable': '无法连接 Ollama（{host}）— 请运行 `ollama serve` 启动',
  'status.modelMissing': '模型 {model} 未安装 — 运行 `ollama pull {model}`，或在设置中选择其他模型',
  'status.failing': 'Ollama（{host}）返回错误：{detail}',
  'status.retry': '重试',
  'settings.title': '设置',
  'settings.open': '设置（Ctrl+,）',
  'settings.ollamaHost': 'Ollama 地址',
  'settings.ollamaHostHint': '主机:端口 或 URL；默认取自 OLLAMA_HOST',
  'settings.chatModel': '对话模型',
  'settings.embedModel': '向量模型',
  'settings.embedModelNone': '不使用（仅关键词检索）',
  'settings.installed': '已安装：{models}',
  'settings.noneInstalled': '此服务器上没有已安装的模型。',
  'settings.agentLang': '我的语言',
  'settings.uiLang': '界面语言',
  'settings.database': '数据库：{path}',
  'settings.save': '保存',
  'settings.saving': '正在保存…',
  'settings.saved': '已保存并生效。',
  'settings.cancel': '关闭',
  'settings.reset': '恢复默认',
  'error.load': '加载失败：{error}',
};

export const dictionaries: Record<UILang, Record<Key, string>> = { en, 'zh-CN': zh };

export function translate(lang: string, key: Key, params: Record<string, string | number> = {}): string {
  const dict = dictionaries[lang as UILang] ?? en;
  return dict[key].replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

export const uiLang = writable<UILang>('en');

/** $t('key', {param}) in components; follows uiLang. */
export const t = derived(uiLang, (lang) => (key: Key, params?: Record<string, string | number>) => translate(lang, key, params));

/** Languages offered for the agent's own language. */
export const agentLanguages: { tag: string; name: string }[] = [
  { tag: 'en', name: 'English' },
  { tag: 'zh-CN', name: '简体中文' },
  { tag: 'zh-TW', name: '繁體中文' },
  { tag: 'es', name: 'Español' },
  { tag: 'fr', name: 'Français' },
  { tag: 'de', name: 'Deutsch' },
  { tag: 'ja', name: '日本語' },
  { tag: 'ko', name: '한국어' },
];
