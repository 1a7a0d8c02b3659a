import { dispatchApiV1 } from "@/server/api-v1/dispatch";

export const dynamic = "force-dynamic";

export const GET = dispatchApiV1;
export const POST = dispatchApiV1;
export const PUT = dispatchApiV1;
export const PATCH = dispatchApiV1;
export const DELETE = dispatchApiV1;
