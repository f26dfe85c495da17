import type { AppContext } from '../../context';
import { eventPoints } from '../../points/event';
import { pathId, type Router } from '../router';

/*
 * The console drawer's 考评 section reads here (issue 15; S13, S14): an event's false mark, its
 * 越级信访 / 群体性事件 flags and its points. The changes go to their own routes
 * (POST /api/v1/points/false-reports, POST /api/v1/events/:id/flags).
 */

export function pointsEventRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/points/events/:id', 'session', {
    doc: {
      summary: '事件的考评标记与积分',
      description: '是否查实为虚假上报、越级信访与群体性事件标记、该事件的积分分录（群众只显示为“群众”）。站长、副站长查看本站事件；区级查看全区。',
      response: { type: 'object', description: 'EventPointsV1（lib/contracts/points.ts）' },
      errors: { 403: '无权查看考评', 404: '事件不存在或不在职责范围内' },
    },
  }, async (ctx) => {
    return { body: await eventPoints(app.db, ctx.session!, pathId(ctx)) };
  });
}
