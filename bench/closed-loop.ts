/**
 * Load as the published slow-service measurement drove it: closed-loop users, each sending one request at a
 * time and the next as soon as the answer is in. Each user first sends one request that is not measured, so
 * the window starts with every user in its steady cycle. A request goes on a new connection (as load tools
 * without keep-alive send it) or, with `keepAlive`, on the user's own kept-alive connection.
 */
import http from 'node:http';
import { percentile, round1 } from '../runtime/stats.js';

export interface ClosedLoopResult {
  reqPerSec: number;
  p50Ms: number;
  p95Ms: number;
  requests: number;
  /** Requests that failed (a kept-alive connection the server closed while its request waited unread). */
  errors: number;
}

function get(url: URL, agent: http.Agent | false): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get(url, { agent }, (response) => {
        response.resume();
        response.once('end', () => resolve(performance.now() - started));
      })
      .once('error', reject);
  });
}

export async function closedLoop(url: string, users: number, requestsPerUser: number, keepAlive: boolean): Promise<ClosedLoopResult> {
  const target = new URL(url);
  const agents = Array.from({ length: users }, () => (keepAlive ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : false));
  await Promise.all(agents.map((agent) => get(target, agent).catch(() => 0)));
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  let lastAnswerAt = started;
  await Promise.all(
    agents.map(async (agent) => {
      for (let i = 0; i < requestsPerUser; i++) {
        try {
          latencies.push(await get(target, agent));
        } catch {
          errors++;
        }
        lastAnswerAt = performance.now();
      }
    }),
  );
  for (const agent of agents) if (agent) agent.destroy();
  return {
    reqPerSec: Math.round((latencies.length / (lastAnswerAt - started)) * 100_000) / 100,
    p50Ms: round1(percentile(latencies, 50)),
    p95Ms: round1(percentile(latencies, 95)),
    requests: latencies.length,
    errors,
  };
}
