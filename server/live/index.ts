import type { Server } from 'socket.io';
import { CHANNELS, IncidentV1 } from '@/lib/contracts/live';
import { NOTICES_CHANNEL, NoticeV1 } from '@/lib/contracts/events';
import { COMMAND_CHANNEL, CommandMessageV1 } from '@/lib/contracts/command';
import { WARNING_CHANNEL, WarningV1 } from '@/lib/contracts/warnings';
import { forViewer, warningRooms } from '../warnings/scope';
import type { AppContext } from '../context';
import { districtArea } from './area';
import { TickFanout } from './fanout';
import { HistoryWriter } from './history';
import { PositionIngest } from './ingest';
import { LatestFixes } from './latest';
import { consumePositionStream, parseJson } from './stream';
import { UnitDirectory } from './units';
import { DISTRICT_ROOM, eventRooms, stationRoom } from '@/lib/access/scope';

export interface Live {
  units: UnitDirectory;
  latest: LatestFixes;
  ingest: PositionIngest;
  fanout: TickFanout;
  history: HistoryWriter;
  stop(): Promise<void>;
}

const UNIT_RELOAD_MS = 60_000;

/** The hot path of this process: ingest from every source, fan out to this process's sockets. */
export async function startLive(app: AppContext, io: Server): Promise<Live> {
  const units = new UnitDirectory(app.db);
  await units.load();
  const latest = new LatestFixes();
  await latest.load(app.bus, app.db);
  const history = new HistoryWriter(app.db);
  history.start();
  const ingest = new PositionIngest(app.bus, units, latest, history, await districtArea(app.db));
  const live = io.of('/live');
  const field = io.of('/field');
  const fanout = new TickFanout(app.bus, latest, live, (unitId) => units.get(unitId)?.stationId ?? null);
  await fanout.start();

  // Committed incidents reach every process; each forwards to its own sockets, in full (not volatile).
  const offIncidents = await app.bus.subscribe(CHANNELS.incidents, (payload) => {
    const parsed = IncidentV1.safeParse(parseJson(payload.toString()));
    if (!parsed.success) return console.error('[live] malformed incident on the backbone:', parsed.error.issues[0]?.message);
    // One scope rule (lib/access/scope): the district's screens, the event's station, the departments it was routed to.
    const rooms = eventRooms(parsed.data);
    live.local.to(rooms).emit('incident', parsed.data);
    field.local.to(rooms).emit('incident', parsed.data);
  });

  // Supervision notices (S13) and, later, tasks and invitations: to the account's sockets on this process.
  const offNotices = await app.bus.subscribe(NOTICES_CHANNEL, (payload) => {
    const notice = NoticeV1.safeParse(parseJson(payload.toString()));
    if (notice.success) field.local.to(`account:${notice.data.accountId}`).emit('notice', notice.data);
  });

  // Dispatches and consultations (issue 5): walls, the station's consoles; on /field, the unit and the invitees.
  const offCommand = await app.bus.subscribe(COMMAND_CHANNEL, (payload) => {
    const message = CommandMessageV1.safeParse(parseJson(payload.toString()));
    if (!message.success) return console.error('[live] malformed command message:', message.error.issues[0]?.message);
    const { accounts, ...rest } = message.data;
    const stationId = rest.type === 'dispatch' ? rest.dispatch.stationId : rest.consultation.stationId;
    const rooms = stationId === null ? [DISTRICT_ROOM] : [DISTRICT_ROOM, stationRoom(stationId)];
    live.local.to(rooms).emit('command', rest);
    for (const id of accounts) field.local.to(`account:${id}`).emit('command', rest);
  });

  // Early warnings (issue 13, S9): the district's screens and the warning's station; a district-wide one to every station.
  const offWarnings = await app.bus.subscribe(WARNING_CHANNEL, (payload) => {
    const warning = WarningV1.safeParse(parseJson(payload.toString()));
    if (!warning.success) return console.error('[live] malformed warning:', warning.error.issues[0]?.message);
    const w = warning.data;
    live.local.to(DISTRICT_ROOM).emit('warning', w);
    // A station's leaders get a district-wide warning without other stations' event ids (warnings/scope forViewer).
    const stationRooms = warningRooms(w.stationId, live.adapter.rooms.keys()).filter((r) => r !== DISTRICT_ROOM);
    if (stationRooms.length) live.local.to(stationRooms).emit('warning', forViewer(w, { kind: 'none' }));
  });

  // Redis was away: pub/sub messages of that time are lost, so every screen of this process reloads from the record.
  app.bus.onResume(() => {
    live.local.emit('resync');
    field.local.emit('resync');
  });

  // Other systems XADD raw batches to the stream; one process takes each, through the same validation.
  const offStream = await consumePositionStream(app.bus, ingest);

  const reload = setInterval(() => {
    void units.load().catch((e: Error) => console.error('[live] units reload:', e.message));
    // A district outline imported (or replaced) while the server runs takes effect here.
    void districtArea(app.db).then((area) => ingest.setArea(area), (e: Error) => console.error('[live] area reload:', e.message));
  }, UNIT_RELOAD_MS);
  reload.unref();

  return {
    units,
    latest,
    ingest,
    fanout,
    history,
    async stop() {
      clearInterval(reload);
      await Promise.all([fanout.stop(), offIncidents(), offNotices(), offCommand(), offWarnings(), offStream()]);
      await history.stop();
    },
  };
}
