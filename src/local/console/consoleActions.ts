import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  GetGroupCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { matchRowKey, type RowKey } from '../../domain/rowMapping/keys.js';
import { isConstantTemplate } from '../../domain/rowMapping/templates.js';
import { errorName } from '../../shared/failure.js';
import { LocalStackError } from '../support/localStackError.js';
import { ConsoleInputError } from './consoleInput.js';

/** The pool refused a group action; the message says why in one sentence. */
export class GroupActionError extends LocalStackError {
  override name = 'GroupActionError';
}

/** Where the console's actions go: the stack's pool, app client and table. */
export interface ConsoleTarget {
  /** Cognito client pointed at the local Cognito API. */
  readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>;
  /** DynamoDB document client pointed at the local DynamoDB API. */
  readonly dynamo: Pick<DynamoDBDocumentClient, 'send'>;
  /** The pool. */
  readonly userPoolId: string;
  /** The app client (no secret, `USER_PASSWORD_AUTH` allowed). */
  readonly userPoolClientId: string;
  /** The table. */
  readonly tableName: string;
  /** Partition key attribute of the table. */
  readonly keyAttribute: string;
  /** The row mapping: the rows' keys (a sort key too). @default - the key attribute alone */
  readonly rowMapping?: RowMapping;
  /** The code every confirmation "sends". */
  readonly confirmationCode: string;
}

/** What an action did, in words for the page. */
export interface ActionResult {
  /** One sentence. */
  readonly message: string;
}

/**
 * Signs a user up with an e-mail address and a password through the app
 * client (`SignUp`), then, when `confirm` is set, confirms it with the local
 * code (`ConfirmSignUp`, which runs the Post Confirmation trigger).
 */
export async function signUpUser(
  target: ConsoleTarget,
  input: { readonly email: string; readonly password: string; readonly confirm: boolean },
): Promise<ActionResult> {
  const { UserSub } = await target.cognito.send(
    new SignUpCommand({
      ClientId: target.userPoolClientId,
      Username: input.email,
      Password: input.password,
      UserAttributes: [{ Name: 'email', Value: input.email }],
    }),
  );
  if (!input.confirm) {
    return {
      message: `Signed up ${input.email} (sub ${UserSub}); it waits for confirmation with code ${target.confirmationCode}.`,
    };
  }
  await confirmUser(target, { username: input.email });
  return {
    message: `Signed up and confirmed ${input.email} with code ${target.confirmationCode}; the trigger has run.`,
  };
}

/** Confirms a sign-up with the local code (`ConfirmSignUp`), which runs the trigger. */
export async function confirmUser(
  target: ConsoleTarget,
  input: { readonly username: string },
): Promise<ActionResult> {
  await target.cognito.send(
    new ConfirmSignUpCommand({
      ClientId: target.userPoolClientId,
      Username: input.username,
      ConfirmationCode: target.confirmationCode,
    }),
  );
  return { message: `Confirmed ${input.username} with code ${target.confirmationCode}.` };
}

/** Signs a user in with `USER_PASSWORD_AUTH` (`InitiateAuth`). */
export async function signInUser(
  target: ConsoleTarget,
  input: { readonly username: string; readonly password: string },
): Promise<ActionResult> {
  const { AuthenticationResult, ChallengeName } = await target.cognito.send(
    new InitiateAuthCommand({
      ClientId: target.userPoolClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: input.username, PASSWORD: input.password },
    }),
  );
  if (ChallengeName) {
    return { message: `Cognito asks ${input.username} to answer a ${ChallengeName} challenge.` };
  }
  const expires = AuthenticationResult?.ExpiresIn;
  return {
    message: `Signed in ${input.username}: ID, access and refresh tokens issued${expires ? ` (valid ${Math.round(expires / 60)} minutes)` : ''}.`,
  };
}

/** Sets one attribute of a user (`AdminUpdateUserAttributes`). */
export async function updateUserAttribute(
  target: ConsoleTarget,
  input: { readonly username: string; readonly name: string; readonly value: string },
): Promise<ActionResult> {
  await target.cognito.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: target.userPoolId,
      Username: input.username,
      UserAttributes: [{ Name: input.name, Value: input.value }],
    }),
  );
  return { message: `Set ${input.name} of ${input.username} in the pool.` };
}

/** Disables or enables a user (`AdminDisableUser` / `AdminEnableUser`). */
export async function setUserEnabled(
  target: ConsoleTarget,
  input: { readonly username: string; readonly enabled: boolean },
): Promise<ActionResult> {
  const request = { UserPoolId: target.userPoolId, Username: input.username };
  if (input.enabled) await target.cognito.send(new AdminEnableUserCommand(request));
  else await target.cognito.send(new AdminDisableUserCommand(request));
  return {
    message: `${input.enabled ? 'Enabled' : 'Disabled'} ${input.username} in the pool.`,
  };
}

/** Deletes a user from the pool (`AdminDeleteUser`); its row stays, as on AWS. */
export async function deleteUser(
  target: ConsoleTarget,
  input: { readonly username: string },
): Promise<ActionResult> {
  await target.cognito.send(
    new AdminDeleteUserCommand({ UserPoolId: target.userPoolId, Username: input.username }),
  );
  return { message: `Deleted ${input.username} from the pool; its row, if any, is now orphaned.` };
}

/**
 * Creates a group in the pool (`CreateGroup`). The group is looked up first
 * (`GetGroup`): Cognito refuses a name already taken (`GroupExistsException`),
 * while the emulator would replace the group and drop its members.
 *
 * @throws GroupActionError when a group of this name exists
 */
export async function createGroup(
  target: ConsoleTarget,
  input: { readonly group: string },
): Promise<ActionResult> {
  let exists = true;
  try {
    await target.cognito.send(
      new GetGroupCommand({ UserPoolId: target.userPoolId, GroupName: input.group }),
    );
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    exists = false;
  }
  if (exists) throw new GroupActionError(`The pool already has a group named "${input.group}".`);
  await target.cognito.send(
    new CreateGroupCommand({ UserPoolId: target.userPoolId, GroupName: input.group }),
  );
  return { message: `Created group "${input.group}" in the pool.` };
}

/**
 * Adds a user to a group (`AdminAddUserToGroup`), or removes it
 * (`AdminRemoveUserFromGroup`).
 *
 * @throws GroupActionError when the pool has no such group
 */
export async function setGroupMembership(
  target: ConsoleTarget,
  input: { readonly username: string; readonly group: string; readonly member: boolean },
): Promise<ActionResult> {
  const request = {
    UserPoolId: target.userPoolId,
    Username: input.username,
    GroupName: input.group,
  };
  try {
    if (input.member) await target.cognito.send(new AdminAddUserToGroupCommand(request));
    else await target.cognito.send(new AdminRemoveUserFromGroupCommand(request));
  } catch (error) {
    // Cognito answers ResourceNotFoundException for a group that does not exist.
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    throw new GroupActionError(`The pool has no group named "${input.group}".`, {
      cause: error,
    });
  }
  return {
    message: input.member
      ? `Added ${input.username} to group "${input.group}".`
      : `Removed ${input.username} from group "${input.group}".`,
  };
}

/** Replaces a row as given (`PutItem`), to simulate a write the trigger did not make. */
export async function putRow(
  target: ConsoleTarget,
  input: { readonly row: Readonly<Record<string, unknown>> },
): Promise<ActionResult> {
  const key = input.row[target.keyAttribute];
  if (typeof key !== 'string' || key === '') {
    throw new ConsoleInputError(`the row needs a non-empty string "${target.keyAttribute}"`);
  }
  const sortKey = target.rowMapping?.sortKey?.attribute;
  if (sortKey !== undefined && typeof input.row[sortKey] !== 'string') {
    throw new ConsoleInputError(`the row needs a string sort key "${sortKey}"`);
  }
  await target.dynamo.send(new PutCommand({ TableName: target.tableName, Item: input.row }));
  return { message: `Saved the row of ${key} in table ${target.tableName}.` };
}

/** Deletes a row (`DeleteItem`), to simulate a lost write. */
export async function deleteRow(
  target: ConsoleTarget,
  input: { readonly key: string },
): Promise<ActionResult> {
  await target.dynamo.send(
    new DeleteCommand({ TableName: target.tableName, Key: rowKeyOfLabel(target, input.key) }),
  );
  return { message: `Deleted the row of ${input.key} from table ${target.tableName}.` };
}

const PLAIN_ERRORS: Readonly<Record<string, string>> = {
  UsernameExistsException: 'A user with this e-mail address already exists.',
  InvalidPasswordException: 'The password was refused',
  NotAuthorizedException: 'Not authorised',
  UserNotFoundException: 'No such user in the pool.',
  UserNotConfirmedException: 'This user has not confirmed the sign-up yet.',
  CodeMismatchException: 'The confirmation code is wrong.',
  ExpiredCodeException: 'The confirmation code has expired.',
  InvalidParameterException: 'Cognito refused a parameter',
  GroupExistsException: 'The pool already has a group of this name.',
  ResourceNotFoundException: 'The table or pool does not exist',
};

/** Says in plain words why an action failed, keeping the service's explanation. Pure. */
export function describeActionError(error: unknown): string {
  if (error instanceof ConsoleInputError) return `Invalid input: ${error.message}.`;
  if (error instanceof GroupActionError) return error.message;
  if (!(error instanceof Error)) return String(error);
  const plain = PLAIN_ERRORS[error.name];
  const detail = error.message && error.message !== error.name ? error.message : '';
  if (plain === undefined) return `${error.name}: ${detail || 'no details given'}`;
  if (!detail) return plain;
  return plain.endsWith('.') ? `${plain} (${detail})` : `${plain}: ${detail}`;
}

/**
 * The whole key of the row a pair shows under `label` (`rowLabel`): the
 * partition key alone, or the partition key, a space and the sort key. A
 * constant sort key (`PROFILE`) is split off exactly; another one at the
 * last space. Pure.
 */
export function rowKeyOfLabel(
  target: Pick<ConsoleTarget, 'keyAttribute' | 'rowMapping'>,
  label: string,
): RowKey {
  const mapping = target.rowMapping;
  const sortKey = mapping?.sortKey;
  if (!mapping || !sortKey) return { [mapping?.key.attribute ?? target.keyAttribute]: label };
  const constant = isConstantTemplate(sortKey) ? ` ${sortKey.template}` : undefined;
  const split =
    constant !== undefined && label.endsWith(constant)
      ? label.length - constant.length
      : label.lastIndexOf(' ');
  const key = {
    [mapping.key.attribute]: split < 0 ? label : label.slice(0, split),
    [sortKey.attribute]: split < 0 ? '' : label.slice(split + 1),
  };
  return matchRowKey(mapping, key)?.key ?? key;
}
