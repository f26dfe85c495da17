import { describe, expect, it } from 'vitest';
import type { ConsultationV1, DispatchV1 } from '@/lib/contracts/command';
import { CommandFeed } from './commandFeed';

const ME = 42;
const dispatch = (over: Partial<DispatchV1> = {}): DispatchV1 => ({
  id: 1, eventId: 10, eventTitle: '邻里纠纷', stationId: 1, unitId: 5, unitCode: 'u5', unitName: '张三', unitKind: 'gridder', department: null,
  state: 'dispatched', origin: null, target: { lon: 120.41, lat: 30.81 }, distanceM: 1200, etaS: 370,
  createdAt: '2026-11-27T02:00:00.000Z', createdBy: '副站长', ackDueAt: '2026-11-27T02:02:00.000Z', acknowledgedAt: null, enRouteAt: null,
  onSceneAt: null, endedAt: null, flaggedAt: null, replacement: null, decisionId: null, version: 1, ...over,
});
const invitation = (response: 'invited' | 'accepted', over: Partial<ConsultationV1> = {}): ConsultationV1 => ({
  id: 7, kind: 'emergency', stationId: 1, title: '紧急会商：邻里纠纷', state: 'open', calledBy: '副站长', scheduledAt: null,
  startedAt: '2026-11-27T02:01:00.000Z', endedAt: null, events: [], decisions: [], agenda: [], summary: null, version: 1,
  invitees: [{ id: 1, accountId: ME, name: '李四', role: 'gridder_full', reason: '专职网格员', department: null, response, respondedAt: null }], ...over,
});

describe('the field phone’s calls (issue 5)', () => {
  it('rings once for a new dispatch and a new invitation, not again for the same one', () => {
    const feed = new CommandFeed(ME);
    feed.push({ type: 'dispatch', dispatch: dispatch() });
    expect(feed.getView().fresh).toEqual(['d:1:dispatched']);
    feed.push({ type: 'consultation', consultation: invitation('invited') });
    expect(feed.getView().fresh).toEqual(['c:7']);
    expect(feed.getView().calls.map((c) => c.key)).toEqual(['c:7', 'd:1:dispatched']);
    feed.load({ dispatches: [dispatch()], invitations: [invitation('invited')] });
    expect(feed.getView().fresh).toEqual([]);
  });

  it('moves a dispatch on at once when stepped here, and lets the server catch up', () => {
    const feed = new CommandFeed(ME);
    feed.push({ type: 'dispatch', dispatch: dispatch() });
    feed.advance(1, 'acknowledged');
    expect(feed.getView().calls.map((c) => c.key)).toEqual(['d:1:acknowledged']);
    // A late copy from before the step does not take it back.
    feed.load({ dispatches: [dispatch()], invitations: [] });
    expect(feed.getView().calls.map((c) => c.key)).toEqual(['d:1:acknowledged']);
    feed.push({ type: 'dispatch', dispatch: dispatch({ state: 'en_route', version: 3 }) });
    expect(feed.getView().calls.map((c) => c.key)).toEqual(['d:1:en_route']);
    feed.advance(1, 'cleared');
    expect(feed.getView().calls).toEqual([]);
  });

  it('drops an invitation once answered (here or elsewhere) or closed, and ignores others’ rows', () => {
    const feed = new CommandFeed(ME);
    feed.push({ type: 'consultation', consultation: invitation('invited') });
    feed.answered(7);
    expect(feed.getView().calls).toEqual([]);
    const other = new CommandFeed(99);
    other.push({ type: 'consultation', consultation: invitation('invited') });
    expect(other.getView().calls).toEqual([]);
    const feed2 = new CommandFeed(ME);
    feed2.push({ type: 'consultation', consultation: invitation('invited') });
    feed2.push({ type: 'consultation', consultation: invitation('accepted', { version: 2 }) });
    expect(feed2.getView().calls).toEqual([]);
    // Joined: its decisions follow on the phone until it closes.
    expect(feed2.getView().joined.map((c) => c.id)).toEqual([7]);
    feed2.push({ type: 'consultation', consultation: invitation('accepted', { version: 3, state: 'closed' }) });
    expect(feed2.getView().joined).toEqual([]);
  });
});
