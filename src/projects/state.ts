// Which state may follow which: the programme's order (README: 它做什么 / What it does), one step at a time,
// so that no project is funded without an evaluation or accepted without having been underway.
import { type ProjectState, STATE_NAMES } from './types.js';

export const NEXT_STATES: Readonly<Record<ProjectState, readonly ProjectState[]>> = {
  matched: ['agreed'],
  agreed: ['evaluated'],
  evaluated: ['funded'],
  funded: ['underway'],
  underway: ['accepted', 'notAccepted'],
  accepted: [],
  notAccepted: [],
};

export const canMoveTo = (from: ProjectState, to: ProjectState): boolean => NEXT_STATES[from].includes(to);

/** 「已对接」之后只能是「已签订三方协议」 — the Chinese sentence a refused move shows. */
export function describeNext(from: ProjectState): string {
  const next = NEXT_STATES[from];
  if (next.length === 0) return `「${STATE_NAMES[from]}」是最终状态，不能再变更`;
  return `「${STATE_NAMES[from]}」之后只能是${next.map((s) => `「${STATE_NAMES[s]}」（${s}）`).join('或')}`;
}
