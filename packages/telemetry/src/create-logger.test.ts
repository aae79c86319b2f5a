import { describe, expect, it } from 'vitest';
import { boundedLabel } from './bounded-label';
import { createLogger, lineLog, writesJson } from './create-logger';
import { withLogContext } from './log-context';

function collect(format: 'json' | 'text' | 'auto', isTTY = false) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', format, role: 'api', sink: { write: (l: string) => void lines.push(l), isTTY } });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes JSON lines with level, time, msg, role and the ids of the request it runs for', () => {
    const { logger, lines } = collect('json');
    withLogContext({ requestId: 'r-1', factoryId: 'f-1' }, () => logger.info({ operation: 'Me' }, 'graphql request'));
    logger.info('outside any request');
    const [inside, outside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(inside).toMatchObject({ level: 'info', msg: 'graphql request', role: 'api', requestId: 'r-1', factoryId: 'f-1', operation: 'Me' });
    expect(inside!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(outside).not.toHaveProperty('requestId');
  });

  it('writes plain lines for a terminal (auto) or with text, ids in brackets', () => {
    expect(writesJson('auto', { write: () => true, isTTY: true })).toBe(false);
    expect(writesJson('auto', { write: () => true })).toBe(true);
    const { logger, lines } = collect('auto', true);
    withLogContext({ jobId: '12', task: 'train' }, () => logger.warn('[train] slow'));
    expect(lines).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN \[train\] slow \(jobId=12 task=train\)\n$/)]);
  });

  it('gives the plain `log(line)` callbacks a level from their words', () => {
    const { logger, lines } = collect('json');
    const log = lineLog(logger);
    log('internal error at me: boom');
    log('[worker] heartbeat failed: connection refused');
    log('[worker] error: Failed task 3');
    log('API ready at http://localhost:4000/graphql');
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['error', 'warn', 'error', 'info']);
  });
});

describe('boundedLabel', () => {
  it('passes the first values it sees and folds later new ones into one', () => {
    const label = boundedLabel(2);
    expect(['a', 'b', 'c', 'a', 'd'].map(label)).toEqual(['a', 'b', 'other', 'a', 'other']);
  });
});
