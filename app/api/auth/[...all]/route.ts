import { handleAuthRequest } from "@/server/auth/auth-endpoints";

export { handleAuthRequest as GET, handleAuthRequest as POST };
