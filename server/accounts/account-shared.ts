import "server-only";

import { z } from "zod";

export const accountIdInput = z.object({ accountId: z.string().min(1).max(100) });
