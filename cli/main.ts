#!/usr/bin/env node
/** The `blockcheck` binary: the command (command.ts) in this process's folder, on its standard streams. */
import { runCommand } from './command.js';

process.exitCode = await runCommand(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
