export { readFileSync as readText } from 'node:fs';
export * from './report.js';
