export const inboxKeys = {
  all: ["inbox"] as const,
  unread: ["inbox", "unread"] as const,
  list: (filters: Record<string, string>) => ["inbox", "list", filters] as const,
  thread: (id: string) => ["inbox", "thread", id] as const,
  members: ["inbox", "members"] as const,
};

/** How often the unread count and the list look for new replies. */
export const unreadPollMs = 10_000;
