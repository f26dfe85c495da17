import { describe, expect, it } from 'vitest';
import { seededRandom, pick } from '../random';
import { ROLES } from '../roles';
import { EVENT_ACTIONS, EVENT_KINDS, EVENT_STATES, FINAL_STATES, RULES, allowedActions, decide, type Actor, type EventState } from './machine';

const ACTORS: Actor[] = [...ROLES, 'citizen'];

describe('event state machine (S12 closed loop)', () => {
  it('allows exactly the listed transitions for the listed roles, and refuses every other', () => {
    let allowed = 0;
    for (const state of EVENT_STATES)
      for (const action of EVENT_ACTIONS)
        for (const actor of ACTORS)
          for (const [byCitizen, kind] of [false, true].flatMap((c) => EVENT_KINDS.map((k) => [c, k] as const))) {
            const rule = RULES[action];
            const expected = rule.from.includes(state) && rule.by.includes(actor) && (rule.byKind?.[kind] ?? rule.by).includes(actor)
              && (!rule.citizenOnly || byCitizen) && (!rule.kinds || rule.kinds.includes(kind));
            const d = decide({ state, reportedByCitizen: byCitizen, kind }, action, actor, 'reason');
            expect(d.ok, `${actor} ${action} from ${state}`).toBe(expected);
            if (d.ok) {
              allowed += 1;
              expect(d.to).toBe(rule.to);
            }
          }
    expect(allowed).toBeGreaterThan(20);
  });

  it('walks the whole loop: report → accept → assign → start → handle → verify → closed → rated', () => {
    let e = { state: 'reported' as EventState, reportedByCitizen: true };
    const steps: [Parameters<typeof decide>[1], Actor, string?][] = [
      ['accept', 'deputy_chief'],
      ['assign', 'deputy_chief'],
      ['start', 'dept_staff'],
      ['handle', 'dept_staff', '已清理占道堆放物'],
      ['verify_pass', 'gridder_full'],
      ['rate', 'citizen'],
    ];
    for (const [action, actor, note] of steps) {
      const d = decide(e, action, actor, note);
      expect(d, action).toMatchObject({ ok: true });
      if (d.ok) e = { ...e, state: d.to };
    }
    expect(e.state).toBe('rated');
  });

  it('答复 closes a question, complaint, suggestion or a resident\'s mediation request with the answer, never a problem (S8, S9, S14)', () => {
    for (const kind of ['question', 'complaint', 'suggestion', 'mediation'] as const) {
      for (const state of ['reported', 'accepted', 'assigned', 'coordinated', 'in_progress'] as const) {
        expect(decide({ state, reportedByCitizen: true, kind }, 'answer', 'deputy_chief', '已按政策答复'), `${kind} ${state}`).toEqual({ ok: true, to: 'closed' });
        if (kind !== 'complaint') expect(allowedActions({ state, reportedByCitizen: true, kind }, 'dept_staff')).toContain('answer');
      }
      expect(decide({ state: 'reported', reportedByCitizen: true, kind }, 'answer', 'deputy_chief')).toMatchObject({ ok: false, reason: /reason/ });
      expect(decide({ state: 'reported', reportedByCitizen: true, kind }, 'answer', 'gridder_full', '答复').ok).toBe(false);
      expect(decide({ state: 'handled', reportedByCitizen: true, kind }, 'answer', 'deputy_chief', '答复').ok).toBe(false);
      // Answered, it is closed: the resident may rate it.
      expect(decide({ state: 'closed', reportedByCitizen: true, kind }, 'rate', 'citizen')).toEqual({ ok: true, to: 'rated' });
    }
    for (const kind of [undefined, 'problem'] as const) {
      expect(decide({ state: 'accepted', reportedByCitizen: true, kind }, 'answer', 'deputy_chief', '答复').ok, String(kind)).toBe(false);
      expect(allowedActions({ state: 'accepted', reportedByCitizen: true, kind }, 'deputy_chief')).not.toContain('answer');
    }
  });

  it('a complaint is answered only by the station\'s leaders; a mediation request by the mediator too (review M6; S8, S14)', () => {
    const complaint = { state: 'reported' as const, reportedByCitizen: true, kind: 'complaint' as const };
    for (const actor of ['dept_staff', 'grid_leader', 'mediator'] as const) {
      expect(decide(complaint, 'answer', actor, '答复'), actor).toMatchObject({ ok: false, reason: /may not/ });
      expect(allowedActions(complaint, actor)).not.toContain('answer');
    }
    for (const actor of ['station_chief', 'deputy_chief'] as const) expect(decide(complaint, 'answer', actor, '答复').ok).toBe(true);
    const mediation = { state: 'accepted' as const, reportedByCitizen: true, kind: 'mediation' as const };
    expect(decide(mediation, 'answer', 'mediator', '调解结束：双方达成协议')).toEqual({ ok: true, to: 'closed' });
    expect(decide({ ...mediation, kind: 'question' }, 'answer', 'grid_leader', '已答复').ok).toBe(true);
  });

  it('only a full-time gridder verifies (S12), and a failed check goes back to work with its reason', () => {
    const handled = { state: 'handled' as const, reportedByCitizen: false };
    expect(decide(handled, 'verify_pass', 'gridder_part').ok).toBe(false);
    expect(decide(handled, 'verify_pass', 'deputy_chief').ok).toBe(false);
    expect(decide(handled, 'verify_fail', 'gridder_full')).toMatchObject({ ok: false, reason: /reason/ });
    expect(decide(handled, 'verify_fail', 'gridder_full', '现场仍有积水')).toEqual({ ok: true, to: 'in_progress' });
  });

  it('re-routing needs a reason and works at every open routed state', () => {
    for (const state of ['assigned', 'coordinated', 'in_progress'] as const) {
      expect(decide({ state, reportedByCitizen: false }, 'reroute', 'deputy_chief').ok).toBe(false);
      expect(decide({ state, reportedByCitizen: false }, 'reroute', 'deputy_chief', '属住建部门职责')).toEqual({ ok: true, to: 'assigned' });
    }
  });

  it('the wall display and volunteers can do nothing', () => {
    for (const state of EVENT_STATES) {
      expect(allowedActions({ state, reportedByCitizen: true }, 'display')).toEqual([]);
      expect(allowedActions({ state, reportedByCitizen: true }, 'volunteer')).toEqual([]);
    }
  });

  it('10,000 random steps never reach an invalid state and never get stuck before the end', () => {
    const rand = seededRandom(12);
    const fresh = () => ({ state: 'reported' as EventState, reportedByCitizen: rand() < 0.5 });
    let e = fresh();
    let moves = 0;
    let refused = 0;
    for (let i = 0; i < 10_000; i++) {
      const options = ACTORS.flatMap((actor) => allowedActions(e, actor).map((action) => [action, actor] as const));
      if (options.length === 0) {
        // Only an end state may offer nothing: final ones, or closed when no citizen will rate it.
        expect(FINAL_STATES.includes(e.state) || (e.state === 'closed' && !e.reportedByCitizen), e.state).toBe(true);
        e = fresh();
        continue;
      }
      const [action, actor] = rand() < 0.5 ? pick(rand, options) : [pick(rand, EVENT_ACTIONS), pick(rand, ACTORS)];
      const d = decide(e, action, actor, '理由');
      const listed = options.some(([a, b]) => a === action && b === actor);
      expect(d.ok, `${actor} ${action} from ${e.state}`).toBe(listed);
      if (d.ok) {
        expect(EVENT_STATES).toContain(d.to);
        e = { ...e, state: d.to };
        moves += 1;
      } else refused += 1;
    }
    expect(moves).toBeGreaterThan(3000);
    expect(refused).toBeGreaterThan(1000);
  });
});
