import { handleAuthRequest } from "@/server/auth-endpoints";

export { handleAuthRequest as GET, handleAuthRequest as POST };
