import { errorMessage, TickflowError } from "../../runtime/errors.ts";
import { createHandle, type ModuleHandle } from "../../runtime/lifecycle.ts";
import type { Logger } from "../../runtime/logger.ts";

export interface HttpServerOptions {
  /** Address to bind. */
  host: string;
  /** Port; 0 picks a free one (the handle tells which). */
  port: number;
  app: { fetch: (request: Request) => Response | Promise<Response> };
  logger: Logger;
  /** On stop, how long open requests (streams) may take to finish before they are cut, ms. */
  graceMs?: number;
}

/** Seconds a connection may stay silent; stream heartbeats (at most 60 s apart) keep streams open. */
const IDLE_TIMEOUT_SEC = 120;

/** Serves `app` with Bun.serve until stopped; stop refuses new connections and lets open ones finish. */
export const startHttpServer = async ({
  host,
  port,
  app,
  logger,
  graceMs = 5_000,
}: HttpServerOptions): Promise<ModuleHandle & { port: number }> => {
  let server: Bun.Server<undefined>;
  try {
    server = Bun.serve({
      hostname: host,
      port,
      fetch: (request) => app.fetch(request),
      idleTimeout: IDLE_TIMEOUT_SEC,
    });
  } catch (error) {
    // Bun says "Is port N in use?" whatever the cause; an address that is not this host's fails too.
    throw new TickflowError(
      "CONFIG_INVALID",
      `cannot listen on ${host}:${port} (HOST, PORT): ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  }
  const bound = server.port ?? port;
  logger.info({ host, port: bound }, `http server listening on ${host}:${bound}`);
  const { handle } = createHandle(async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([server.stop(), grace]);
    clearTimeout(timer);
    await server.stop(true);
    logger.info({ port: bound }, "http server stopped");
  });
  return { ...handle, port: bound };
};
