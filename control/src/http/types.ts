// The request and handler types every route group shares.
import type { IRequest, RouterType } from "itty-router";
import type { ControlEnv } from "../env";
import type { Role } from "./auth";

/** `role` and `actor` are set by `requireRole`; `actor` is what history records (never a secret). */
export type ControlRequest = IRequest & { role?: Role; actor?: string };

export type ControlArgs = [env: ControlEnv, ctx: ExecutionContext];

export type ControlRouter = RouterType<ControlRequest, ControlArgs, Response>;
