/**
 * Reads the last `blockcheck audit --probe` JSON report of a workspace folder, defensively (it is written by
 * another tool and version, may be partial or hand-edited), to show measured costs next to static findings.
 * Re-read only when the file's modification time changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../core/types.js';
import { toTsPath } from '../../engine/paths.js';

export interface MeasuredCost {
  /** `confirmed`, `not-reproduced`, `unreached`, or whatever a newer probe says. */
  verdict: string;
  blockedP95Ms: number | undefined;
  /** For `unreached`: which handler or input would reach the line. */
  hint: string | undefined;
}

export interface AuditRecommendation {
  workerClass: string;
  reason: string;
}

interface AuditFindingEntry {
  file: string;
  rule: string;
  line: number;
  column: number;
  call: string | undefined;
  cost: MeasuredCost | undefined;
}

export interface AuditReport {
  reportFile: string;
  findings: AuditFindingEntry[];
  recommendation: AuditRecommendation | undefined;
}

export class AuditReports {
  private readonly cache = new Map<string, { mtimeMs: number; report: AuditReport | undefined }>();

  constructor(private readonly warn: (message: string) => void) {}

  /** The report at `reportFile` (absolute), or undefined when there is none or it is unusable. */
  read(reportFile: string): AuditReport | undefined {
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(reportFile).mtimeMs;
    } catch {
      this.cache.delete(reportFile);
      return undefined;
    }
    const cached = this.cache.get(reportFile);
    if (cached?.mtimeMs === mtimeMs) return cached.report;
    let report: AuditReport | undefined;
    try {
      report = parseReport(reportFile, JSON.parse(fs.readFileSync(reportFile, 'utf8')));
    } catch (error) {
      this.warn(`blockcheck: ignoring the audit report ${reportFile}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    this.cache.set(reportFile, { mtimeMs, report });
    return report;
  }
}

/** The report's entry for a finding: same file, rule and position, else the only entry for that call. */
export function measuredCostFor(report: AuditReport, finding: Finding): MeasuredCost | undefined {
  const rule = `blockcheck/${finding.rule}`;
  const fileName = toTsPath(finding.fileName);
  const candidates = report.findings.filter((entry) => entry.file === fileName && entry.rule === rule);
  const exact = candidates.find((entry) => entry.line === finding.line && entry.column === finding.column);
  if (exact) return exact.cost;
  // The buffer may have moved since the audit: accept an unambiguous match by call.
  const sameCall = candidates.filter((entry) => entry.call === finding.call);
  return sameCall.length === 1 ? sameCall[0]!.cost : undefined;
}

function parseReport(reportFile: string, json: unknown): AuditReport {
  if (!isRecord(json)) throw new Error('not a JSON object');
  if (json.schemaVersion !== 1) throw new Error(`unsupported schemaVersion ${JSON.stringify(json.schemaVersion)}`);
  if (!Array.isArray(json.findings)) throw new Error('no findings array');
  // Finding files are relative to the audit's working directory, recorded as `root`.
  const root = typeof json.root === 'string' ? json.root : path.dirname(path.dirname(reportFile));
  const findings: AuditFindingEntry[] = [];
  for (const entry of json.findings) {
    if (!isRecord(entry) || typeof entry.file !== 'string' || typeof entry.rule !== 'string') continue;
    if (typeof entry.line !== 'number' || typeof entry.column !== 'number') continue;
    findings.push({
      file: toTsPath(path.resolve(root, entry.file)),
      rule: entry.rule,
      line: entry.line,
      column: entry.column,
      call: typeof entry.call === 'string' ? entry.call : undefined,
      cost: parseRuntime(entry.runtime),
    });
  }
  const recommendation = isRecord(json.recommendation) ? json.recommendation : undefined;
  return {
    reportFile,
    findings,
    recommendation:
      recommendation && typeof recommendation.workerClass === 'string' && typeof recommendation.reason === 'string'
        ? { workerClass: recommendation.workerClass, reason: recommendation.reason }
        : undefined,
  };
}

/** The probe's runtime section (runtime/report.ts `RuntimeSection`; `blockedMs` is the draft name of its stats). */
function parseRuntime(runtime: unknown): MeasuredCost | undefined {
  if (!isRecord(runtime) || typeof runtime.verdict !== 'string') return undefined;
  const stats = runtime.blockedMsPerRequest ?? runtime.blockedMs;
  const blocked = isRecord(stats) ? stats : undefined;
  const p95 = blocked && typeof blocked.p95 === 'number' && Number.isFinite(blocked.p95) ? blocked.p95 : undefined;
  return { verdict: runtime.verdict, blockedP95Ms: p95, hint: typeof runtime.hint === 'string' ? runtime.hint : undefined };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
