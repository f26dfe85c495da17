import { BasemapAnswer, NO_BASEMAP, PMTILES_PATH, DATUMS } from '@/lib/basemap/contract';
import type { BasemapSetting } from '@/lib/basemap/settings';
import type { AppContext } from '../../context';
import { basemapFile, serveRanges } from '../../basemap/serve';
import { DomainError } from '../../errors';
import type { Router } from '../router';

/*
 * The optional basemap (issue 13). Not scoped data: every signed-in user and wall screen reads the
 * same picture, so both routes are open to any session and to no one else.
 */

const ANSWER_DOC = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['none', 'xyz', 'pmtiles'] },
    url: { type: ['string', 'null'] },
    datum: { type: ['string', 'null'], enum: [...DATUMS, null] },
    attribution: { type: ['string', 'null'] },
  },
  required: ['kind', 'url', 'datum', 'attribution'],
};

export function answerOf(b: BasemapSetting): BasemapAnswer {
  if (b.kind === 'none') return NO_BASEMAP;
  const url = b.kind === 'xyz' ? b.url : PMTILES_PATH;
  return BasemapAnswer.parse({ kind: b.kind, url, datum: b.datum, attribution: b.attribution });
}

export function basemapRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/basemap', 'session', {
    doc: {
      summary: '底图配置',
      description:
        '部署配置的底图：none（默认，无底图，不访问任何其他主机）、xyz（栅格瓦片模板，如天地图 _w 服务，浏览器直接向该主机取瓦片）' +
        `或 pmtiles（数据目录 basemap/ 下的文件，由本服务经 ${PMTILES_PATH} 以 Range 请求提供）。` +
        'datum 为底图坐标系：wgs84 或 cgcs2000（天地图，按 WGS-84 处理，差约 1 米以内）；GCJ-02 底图在启动时即被拒绝。',
      response: ANSWER_DOC,
    },
  }, async () => ({ body: answerOf(app.config.basemap), headers: { 'cache-control': 'private, max-age=60' } }));

  router.add('GET', PMTILES_PATH, 'session', {
    doc: {
      summary: '底图 PMTiles 文件（按字节范围读取）',
      description:
        '只提供配置项 BASEMAP_PMTILES 指定的那一个文件（路径中不含任何文件名，无法遍历目录）。支持单个字节范围（Range: bytes=a-b、a-、-n），' +
        '超出文件末尾的范围截至末尾；多个范围或无法满足的范围答 416 并在 Content-Range 中给出文件大小。ETag 随文件大小与修改时间变化。',
      responses: {
        200: { description: '整个文件（无 Range 时）', types: ['application/vnd.pmtiles'] },
        206: {
          description: '所请求的字节范围',
          types: ['application/vnd.pmtiles'],
          headers: { 'content-range': { description: 'bytes 起-止/总长', schema: { type: 'string' } } },
        },
        304: { description: 'If-None-Match 与 ETag 相同：未改变', types: [] },
        416: { description: '范围无法满足（或含多个范围）；Content-Range: bytes */总长', types: [] },
      },
      errors: { 404: '未配置 PMTiles 底图，或文件不在数据目录 basemap/ 下' },
    },
  }, async ({ req, res }) => {
    const b = app.config.basemap;
    if (b.kind !== 'pmtiles') throw new DomainError('not_found', 'not_found', '未配置 PMTiles 底图');
    await serveRanges(req, res, basemapFile(app.config.dataDir, b.file));
  });
}
