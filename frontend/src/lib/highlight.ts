/** A piece of text, marked when it is one of the matched words. */
export interface Segment {
  text: string;
  hit: boolean;
}

/** Cuts text into segments so that every occurrence of a match (any case) is marked. */
export function highlight(text: string, matches: string[] | null): Segment[] {
  const words = (matches ?? []).filter((m) => m.trim() !== '').sort((a, b) => b.length - a.length);
  if (words.length === 0) return [{ text, hit: false }];
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`(${escaped.join('|')})`, 'gi');
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index! > last) out.push({ text: text.slice(last, m.index), hit: false });
    out.push({ text: m[0], hit: true });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), hit: false });
  return out;
}
