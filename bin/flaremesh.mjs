#!/usr/bin/env node
// `npx flaremesh`: the kubectl-style CLI for the mesh control API (plain ESM, runs on Node 20 and 22).
import { main } from "../cli/program.mjs";

process.exitCode = await main(process.argv);
