export * from "./auth";
export * from "./domain";
export * from "./integrations";
export * from "./conversations";
