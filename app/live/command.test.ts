import { describe, expect, it } from 'vitest';
import type { ConsultationV1, DispatchV1 } from '@/lib/contracts/command';
import { CommandBook, ENDED_KEEP_MS } from './command';

const dispatch = (over: Partial<DispatchV1> = {}): DispatchV1 => ({
  id: 1, eventId: 10, eventTitle: '某事', stationId: 1, unitId: 5, unitCode: 'u5', unitName: '张三', unitKind: 'police', department: 'police',
  state: 'dispatched', origin: { lon: 120.4, lat: 30.8 }, target: { lon: 120.41, lat: 30.81 }, distanceM: 1200, etaS: 150,
  createdAt: '2026-11-27T02:00:00.000Z', createdBy: '副站长', ackDueAt: '2026-11-27T02:02:00.000Z', acknowledgedAt: null, enRouteAt: null,
  onSceneAt: null, endedAt: null, flaggedAt: null, replacement: null, decisionId: null, version: 1, ...over,
});
const consultation = (over: Partial<ConsultationV1> = {}): ConsultationV1 => ({
  id: 7, kind: 'emergency', stationId: 1, title: '紧急会商', state: 'open', calledBy: '副站长', scheduledAt: null,
  startedAt: '2026-11-27T02:00:00.000Z', endedAt: null, events: [], invitees: [], decisions: [], agenda: [], summary: null, version: 1, ...over,
});

describe('the command book (issue 5)', () => {
  it('keeps the newer copy whichever order pushes and the snapshot arrive in', () => {
    const book = new CommandBook();
    expect(book.receive({ type: 'dispatch', dispatch: dispatch({ state: 'en_route', version: 3 }) })).toBe(true);
    expect(book.receive({ type: 'dispatch', dispatch: dispatch({ state: 'acknowledged', version: 2 }) })).toBe(false);
    // A snapshot fetched before the push: its older copy does not win; a dispatch it lacks stays.
    book.apply({ dispatches: [dispatch({ version: 1 })], consultations: [consultation()], keyPeriods: [] });
    expect(book.getView().dispatches.map((d) => d.state)).toEqual(['en_route']);
    book.receive({ type: 'dispatch', dispatch: dispatch({ id: 2, version: 1 }) });
    book.apply({ dispatches: [dispatch({ state: 'on_scene', version: 4 })], consultations: [], keyPeriods: [] });
    expect(book.getView().dispatches.map((d) => [d.id, d.state])).toEqual([[2, 'dispatched'], [1, 'on_scene']]);
    expect(book.getView().loaded).toBe(true);
  });

  it('lists active dispatches before ended ones and open consultations first', () => {
    const book = new CommandBook();
    book.apply({
      dispatches: [dispatch({ id: 3, state: 'cleared', endedAt: '2026-11-27T02:30:00.000Z' }), dispatch({ id: 1 })],
      consultations: [consultation({ id: 9, state: 'closed', endedAt: '2026-11-27T03:00:00.000Z' }), consultation({ id: 8 })],
      keyPeriods: [],
    });
    expect(book.getView().dispatches.map((d) => d.id)).toEqual([1, 3]);
    expect(book.getView().consultations.map((c) => c.id)).toEqual([8, 9]);
  });

  it('forgets what ended over an hour ago, and drops malformed pushes', () => {
    const book = new CommandBook();
    const ended = Date.parse('2026-11-27T02:30:00.000Z');
    book.apply({ dispatches: [dispatch({ id: 3, state: 'cleared', endedAt: new Date(ended).toISOString() })], consultations: [], keyPeriods: [] });
    book.prune(ended + ENDED_KEEP_MS - 1);
    expect(book.getView().dispatches).toHaveLength(1);
    book.prune(ended + ENDED_KEEP_MS + 1);
    expect(book.getView().dispatches).toHaveLength(0);
    expect(book.receive({ type: 'dispatch', dispatch: { id: 'x' } })).toBe(false);
  });
});
