// The request and handler types every route group shares.
import type { IRequest, RouterType } from "itty-router";
import type { ControlEnv } from "../env";
import type { Role } from "./auth";

export type ControlRequest = IRequest & { role?: Role };

export type ControlArgs = [env: ControlEnv, ctx: ExecutionContext];

export type ControlRouter = RouterType<ControlRequest, ControlArgs, Response>;
