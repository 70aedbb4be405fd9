/**
 * A Hadoop AccessControlList as written in `acl_submit_applications` / `acl_administer_queue`:
 * `user1,user2 group1,group2`; `*` is everyone; a single space (or empty) is no one.
 */
export interface QueueAcl {
  readonly everyone: boolean;
  readonly users: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
}

export const ACL_EVERYONE: QueueAcl = Object.freeze({ everyone: true, users: new Set<string>(), groups: new Set<string>() });
export const ACL_NO_ONE: QueueAcl = Object.freeze({ everyone: false, users: new Set<string>(), groups: new Set<string>() });

const names = (list: string | undefined): Set<string> =>
  new Set((list ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0));

export function parseQueueAcl(text: string): QueueAcl {
  if (text.trim() === '*') return ACL_EVERYONE;
  // Hadoop splits at the first space: what precedes it is users, what follows it groups.
  const cut = text.indexOf(' ');
  const users = cut < 0 ? text : text.slice(0, cut);
  const groups = cut < 0 ? '' : text.slice(cut + 1);
  return { everyone: false, users: names(users), groups: names(groups) };
}

export function aclAllows(acl: QueueAcl, user: string, groups: readonly string[]): boolean {
  return acl.everyone || acl.users.has(user) || groups.some((g) => acl.groups.has(g));
}

/** Back to the configuration format, for messages. */
export function formatQueueAcl(acl: QueueAcl): string {
  if (acl.everyone) return '*';
  return `${[...acl.users].join(',')} ${[...acl.groups].join(',')}`;
}
