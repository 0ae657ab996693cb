import { describe, expect, it } from 'vitest';
import { describeStatus } from './status';
import type { Status } from './types';

const base: Status = {
  state: 'ok', host: '127.0.0.1:11434', version: '0.6.5', chatModel: 'qwen2.5:3b',
  embedModel: '', missingModel: '', detail: '', models: ['qwen2.5:3b'],
};

describe('describeStatus', () => {
  const cases: [string, Partial<Status>, string, string, string][] = [
    ['ok', {}, 'en', 'Ollama 0.6.5 at 127.0.0.1:11434 · model qwen2.5:3b', 'ok'],
    ['unreachable', { state: 'unreachable' }, 'en', 'Ollama is not reachable at 127.0.0.1:11434 — start it with `ollama serve`', 'error'],
    ['unreachable zh', { state: 'unreachable' }, 'zh-CN', '无法连接 Ollama（127.0.0.1:11434）— 请运行 `ollama serve` 启动', 'error'],
    ['model missing', { state: 'model_missing', missingModel: 'qwen2.5:3b' }, 'en',
      'model qwen2.5:3b is not installed — `ollama pull qwen2.5:3b` or choose another in Settings', 'warn'],
    ['model missing zh', { state: 'model_missing', missingModel: 'bge-m3' }, 'zh-CN',
      '模型 bge-m3 未安装 — 运行 `ollama pull bge-m3`，或在设置中选择其他模型', 'warn'],
    ['failing', { state: 'failing', detail: '500 boom' }, 'en', 'Ollama at 127.0.0.1:11434 answered with an error: 500 boom', 'error'],
    ['checking', { state: 'checking' }, 'en', 'Checking Ollama at 127.0.0.1:11434…', 'pending'],
  ];
  it.each(cases)('%s', (_name, change, lang, text, tone) => {
    expect(describeStatus({ ...base, ...change }, lang)).toEqual({ text, tone });
  });
});
