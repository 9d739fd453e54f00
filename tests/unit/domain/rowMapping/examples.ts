// The four row mapping documents of the format's contract, exactly as written.

/** Example 1, the tutorial's table; 2, a single table; 3, keyed by sub; 4, today's row. */
export const EXAMPLES: Readonly<Record<'tutorial' | 'singleTable' | 'bySub' | 'today', unknown>> = {
  tutorial: JSON.parse('{ "fields": { "email": "useremail" } }'),
  singleTable: JSON.parse(`{ "key": { "attribute": "pk", "template": "USER#{sub}" },
  "sortKey": { "attribute": "sk", "template": "PROFILE" },
  "constants": { "entityType": "User" } }`),
  bySub: JSON.parse(`{ "key": { "attribute": "userId", "template": "{sub}" },
  "fields": { "attributes": false },
  "attributes": { "given_name": "firstName", "custom:plan": "plan" } }`),
  today: JSON.parse('{}'),
};
