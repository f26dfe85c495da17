/**
 * Tells an unattended wall when the server it talks to was upgraded (issue 13): the first build
 * id it hears is the one its page came with; any other later means new pages, so reload.
 */
export class BuildWatch {
  private loaded: string | null = null;

  /** What one answer of GET /version means to this page. */
  heard(build: string): 'loaded' | 'same' | 'upgraded' {
    if (this.loaded === null) {
      this.loaded = build;
      return 'loaded';
    }
    return build === this.loaded ? 'same' : 'upgraded';
  }
}

export function readBuild(body: unknown): string | null {
  const build = typeof body === 'object' && body !== null ? (body as { build?: unknown }).build : undefined;
  return typeof build === 'string' && build.length > 0 ? build : null;
}
