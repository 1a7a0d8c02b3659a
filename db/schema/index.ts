export * from "./auth";
export * from "./conversations";
export * from "./domain";
export * from "./integrations";
