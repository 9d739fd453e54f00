// The operations a pool sees, as fast-check commands: each one checks that it
// applies to the model, makes the real call against the local stack (as an app
// or an administrator would, straight to cognito-local and dynalite), asserts
// the pool's answer, and updates the model with what the table should now hold.
import assert from 'node:assert/strict';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  DeleteUserCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { type StackClients, TEST_PASSWORD } from '../../../harness/localStack.js';
import type { LocalStack } from '../../../src/local/startLocalStack.js';
import type { KnownDrift } from './knownDrift.js';
import {
  emailInUse,
  freshEmail,
  type ModelUser,
  type PoolModel,
  presentUsers,
  type RowMapping,
  rowWritten,
  SOURCES,
  snapshot,
  written,
} from './poolModel.js';

/** What the commands act on: one running stack and the app's own clients. */
export interface World {
  readonly stack: LocalStack;
  /** The app's and the administrator's clients: straight to the servers, never through a fault. */
  readonly clients: StackClients;
  readonly mapping: RowMapping;
  readonly drift: ReadonlySet<KnownDrift>;
  /** Every username created on this stack, by any sequence. */
  readonly usernames: Set<string>;
}

/** A model pool with the trace of the steps run so far, for failure messages. */
export type TracedModel = PoolModel & { readonly trace: string[] };

type Command = fc.AsyncCommand<TracedModel, World>;

/** Most users a sequence creates (sign-ups and admin creates). */
export const MAX_USERS_PER_SEQUENCE = 5;

/** How an administrator names a user in an Admin* call. */
type By = 'username' | 'email';

/** An attribute change: some of these at once. */
interface Change {
  readonly given_name?: string;
  readonly family_name?: string;
  readonly phone_number?: string;
  /** Give the user a new e-mail address. */
  readonly email?: boolean;
  /** With a new address: mark it verified (admins only). */
  readonly emailVerified?: boolean;
}

const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Frances'];
const APP_FIELDS = ['plan', 'credits', 'newsletter'];

/** The name of a failed call's error, or `ok`. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.name : String(error);
  }
}

function nameOf(_world: World, user: ModelUser, by: By): string {
  return by === 'email' ? (user.attributes.email ?? user.username) : user.username;
}

function newUser(
  model: TracedModel,
  world: World,
  fields: { username: string; sub: string; attributes: Record<string, string> },
  status: ModelUser['status'],
): ModelUser {
  const user: ModelUser = {
    label: `u${model.users.length}`,
    ...fields,
    enabled: true,
    status,
    deleted: false,
    password: TEST_PASSWORD,
    row: 'no',
    rowBy: 'call',
    sinceSync: [],
    source: undefined,
    lastSignIn: 'no',
    appFields: {},
    drift: {},
  };
  model.users.push(user);
  world.usernames.add(user.username);
  return user;
}

/** Keeps the user's state before a change: a later lost call may leave the row showing it. */
function remember(model: PoolModel, user: ModelUser): ModelUser {
  const before = snapshot(user);
  if (model.signals) user.sinceSync.push(before);
  return before;
}

/**
 * A change signal for the user is handled (when signals are on): the row
 * follows the pool. A signal naming the user by username or `sub` always
 * finds them; one naming them by e-mail finds them unless a later call
 * changes that address first.
 */
function signalled(model: PoolModel, user: ModelUser, by: By | 'sub'): void {
  if (!model.signals) return;
  if (!user.deleted && user.status !== 'UNCONFIRMED') {
    rowWritten(model, user, SOURCES.converge, by === 'email' ? 'signal-by-email' : 'signal');
  }
  if (by === 'email') {
    user.drift.triggerRow = false;
    user.drift.signedInDisabled = false;
  } else {
    user.drift = {};
    user.sinceSync = [];
  }
}

/** A call named the user by an e-mail address its signal cannot resolve any more: the signal is lost. */
function signalLost(model: PoolModel, user: ModelUser, drift: KnownDrift): void {
  if (!model.signals) return;
  user.drift.lostCall = {
    befores: [...user.sinceSync],
    rowMayBeMissing: user.row !== 'no' && user.rowBy === 'signal-by-email',
    drift,
  };
}

/** The attributes after a change, as the pool sets them (a new address or phone is unverified). */
function applyChange(model: PoolModel, user: ModelUser, change: Change): Record<string, string> {
  const set: Record<string, string> = {};
  if (change.given_name !== undefined) set.given_name = change.given_name;
  if (change.family_name !== undefined) set.family_name = change.family_name;
  if (change.phone_number !== undefined) {
    set.phone_number = change.phone_number;
    set.phone_number_verified = 'false';
  }
  if (change.email) {
    set.email = freshEmail(model);
    set.email_verified = change.emailVerified ? 'true' : 'false';
  }
  user.attributes = { ...user.attributes, ...set };
  return set;
}

function changeRequest(set: Record<string, string>, admin: boolean) {
  return Object.entries(set)
    .filter(([name]) => admin || !name.endsWith('_verified'))
    .filter(([name, value]) => !(name === 'phone_number_verified' && value === 'false'))
    .filter(([name, value]) => !(name === 'email_verified' && value === 'false'))
    .map(([Name, Value]) => ({ Name, Value }));
}

function describeChange(change: Change): string {
  const parts = Object.entries(change)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name, value]) => (name === 'email' ? 'email: new' : `${name}: ${String(value)}`));
  return `{${parts.join(', ')}}`;
}

/** What a sign-in of this user answers: tokens, a challenge, or the error's name. */
function expectedSignIn(user: ModelUser): string {
  if (!user.enabled) return 'NotAuthorizedException';
  if (user.status === 'UNCONFIRMED') return 'UserNotConfirmedException';
  if (user.status === 'FORCE_CHANGE_PASSWORD') return 'challenge';
  return 'tokens';
}

/** Signs the user in (USER_PASSWORD_AUTH): asserts the answer and records the sign-in refresh. */
async function signIn(
  model: TracedModel,
  world: World,
  user: ModelUser,
): Promise<string | undefined> {
  let answer: string;
  let accessToken: string | undefined;
  try {
    const { AuthenticationResult, ChallengeName } = await world.clients.cognito.send(
      new InitiateAuthCommand({
        ClientId: world.stack.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.attributes.email ?? '', PASSWORD: user.password },
      }),
    );
    accessToken = AuthenticationResult?.AccessToken;
    answer = accessToken ? 'tokens' : ChallengeName ? 'challenge' : 'nothing';
  } catch (error) {
    answer = error instanceof Error ? error.name : String(error);
  }
  const expected = expectedSignIn(user);
  // Known drift (3): the local stack treats a disabled user as an enabled one.
  const tolerated =
    !user.enabled && world.drift.has('disabled-user-signs-in')
      ? expectedSignIn({ ...user, enabled: true })
      : expected;
  assert.ok(
    answer === expected || answer === tolerated,
    `sign-in of ${user.label} answered ${answer}, expected ${expected}`,
  );
  if (answer === 'tokens') {
    rowWritten(model, user, SOURCES.signIn);
    user.lastSignIn = written(model, user.lastSignIn);
    user.drift = user.enabled ? {} : { signedInDisabled: true };
    user.sinceSync = [];
  }
  return accessToken;
}

abstract class UserCommand implements Command {
  constructor(readonly pick: number) {}
  /** Users the command applies to, in the model's order. */
  abstract candidates(model: TracedModel): ModelUser[];
  abstract act(model: TracedModel, world: World, user: ModelUser): Promise<string>;
  abstract readonly name: string;
  check(model: Readonly<TracedModel>): boolean {
    return this.candidates(model as TracedModel).length > 0;
  }
  async run(model: TracedModel, world: World): Promise<void> {
    const users = this.candidates(model);
    const user = users[this.pick % users.length] as ModelUser;
    model.trace.push(`${this.name}(${user.label}) ${await this.act(model, world, user)}`);
  }
  toString(): string {
    return `${this.name}(#${this.pick})`;
  }
}

const present = (model: PoolModel) => presentUsers(model);
const canSignIn = (model: PoolModel) =>
  presentUsers(model).filter((user) => user.enabled && user.status === 'CONFIRMED');

class SignUp implements Command {
  constructor(
    readonly givenName: string | undefined,
    readonly reuse: number | undefined,
    /** Confirm the sign-up at once (ConfirmSignUp). */
    readonly confirm = false,
  ) {}
  reusable(model: PoolModel): ModelUser[] {
    return model.users.filter(
      (user) =>
        user.deleted &&
        user.attributes.email !== undefined &&
        !emailInUse(model, user.attributes.email),
    );
  }
  check(model: Readonly<TracedModel>): boolean {
    if (model.users.length >= MAX_USERS_PER_SEQUENCE) return false;
    return this.reuse === undefined || this.reusable(model).length > 0;
  }
  async run(model: TracedModel, world: World): Promise<void> {
    const reused =
      this.reuse === undefined
        ? undefined
        : this.reusable(model)[this.reuse % this.reusable(model).length];
    const email = reused?.attributes.email ?? freshEmail(model);
    const extra = this.givenName ? [{ Name: 'given_name', Value: this.givenName }] : [];
    const { UserSub } = await world.clients.cognito.send(
      new SignUpCommand({
        ClientId: world.stack.userPoolClientId,
        Username: email,
        Password: TEST_PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }, ...extra],
      }),
    );
    assert.ok(UserSub, 'SignUp returned no UserSub');
    const user = newUser(
      model,
      world,
      {
        username: UserSub,
        sub: UserSub,
        attributes: {
          sub: UserSub,
          email,
          ...(this.givenName ? { given_name: this.givenName } : {}),
        },
      },
      'UNCONFIRMED',
    );
    model.trace.push(
      reused
        ? `reSignUp ${user.label} with the e-mail of deleted ${reused.label}`
        : `signUp ${user.label}`,
    );
    if (this.confirm) await new ConfirmSignUp(model.users.length - 1).run(model, world);
  }
  toString(): string {
    const name = this.givenName ? `given_name: ${this.givenName}` : '';
    if (this.reuse !== undefined) return `reSignUp(deleted #${this.reuse})`;
    return this.confirm ? `signUpAndConfirm(${name})` : `signUp(${name})`;
  }
}

class AdminCreate implements Command {
  constructor(readonly givenName: string | undefined) {}
  check(model: Readonly<TracedModel>): boolean {
    return model.users.length < MAX_USERS_PER_SEQUENCE;
  }
  async run(model: TracedModel, world: World): Promise<void> {
    const email = freshEmail(model);
    const extra = this.givenName ? [{ Name: 'given_name', Value: this.givenName }] : [];
    const { User } = await world.clients.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: world.stack.userPoolId,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: email }, ...extra],
        TemporaryPassword: TEST_PASSWORD,
        MessageAction: 'SUPPRESS',
      }),
    );
    const username = User?.Username;
    const sub = User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    assert.ok(username && sub, 'AdminCreateUser returned no username or sub');
    const user = newUser(
      model,
      world,
      {
        username,
        sub,
        attributes: { sub, email, ...(this.givenName ? { given_name: this.givenName } : {}) },
      },
      'FORCE_CHANGE_PASSWORD',
    );
    // AdminCreateUser names the new user by their e-mail address.
    signalled(model, user, 'email');
    model.trace.push(`adminCreate ${user.label}`);
  }
  toString(): string {
    return `adminCreate(${this.givenName ? `given_name: ${this.givenName}` : ''})`;
  }
}

class ConfirmSignUp extends UserCommand {
  readonly name = 'confirmSignUp';
  candidates(model: TracedModel) {
    return present(model).filter((user) => user.status === 'UNCONFIRMED' && user.enabled);
  }
  async act(model: TracedModel, world: World, user: ModelUser) {
    await world.clients.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: world.stack.userPoolClientId,
        Username: user.attributes.email,
        ConfirmationCode: world.stack.confirmationCode,
      }),
    );
    remember(model, user);
    user.status = 'CONFIRMED';
    const hadRow = user.row !== 'no';
    rowWritten(model, user, SOURCES.confirmSignUp);
    if (!hadRow) user.drift.triggerRow = true;
    return '';
  }
}

class AdminConfirm extends UserCommand {
  readonly name = 'adminConfirmSignUp';
  constructor(
    pick: number,
    readonly by: By,
  ) {
    super(pick);
  }
  candidates(model: TracedModel) {
    return present(model).filter((user) => user.status === 'UNCONFIRMED');
  }
  async act(model: TracedModel, world: World, user: ModelUser) {
    await world.clients.cognito.send(
      new AdminConfirmSignUpCommand({
        UserPoolId: world.stack.userPoolId,
        Username: nameOf(world, user, this.by),
      }),
    );
    remember(model, user);
    user.status = 'CONFIRMED';
    const hadRow = user.row !== 'no';
    rowWritten(model, user, SOURCES.confirmSignUp);
    if (!hadRow) user.drift.triggerRow = true;
    signalled(model, user, this.by);
    return `by ${this.by}`;
  }
  override toString() {
    return `${this.name}(#${this.pick} by ${this.by})`;
  }
}

class SignIn extends UserCommand {
  readonly name = 'signIn';
  candidates(model: TracedModel) {
    return present(model);
  }
  async act(model: TracedModel, world: World, user: ModelUser) {
    await signIn(model, world, user);
    return `(${user.enabled ? '' : 'disabled, '}${user.status})`;
  }
}

class ForgotPassword extends UserCommand {
  readonly name = 'forgotPasswordReset';
  candidates(model: TracedModel) {
    return canSignIn(model);
  }
  async act(model: TracedModel, world: World, user: ModelUser) {
    const password = `Reset-${model.trace.length}-passw0rd!`;
    await world.clients.cognito.send(
      new ForgotPasswordCommand({
        ClientId: world.stack.userPoolClientId,
        Username: user.attributes.email,
      }),
    );
    await world.clients.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: world.stack.userPoolClientId,
        Username: user.attributes.email,
        ConfirmationCode: world.stack.confirmationCode,
        Password: password,
      }),
    );
    user.password = password;
    // The trigger creates a missing row and never touches an existing one.
    if (user.row !== 'yes') {
      const hadRow = user.row !== 'no';
      rowWritten(model, user, SOURCES.confirmForgotPassword);
      if (!hadRow) user.drift.triggerRow = true;
    }
    return '';
  }
}

class SelfUpdate extends UserCommand {
  readonly name = 'selfUpdate';
  constructor(
    pick: number,
    readonly change: Change,
  ) {
    super(pick);
  }
  candidates(model: TracedModel) {
    return canSignIn(model);
  }
  async act(model: TracedModel, world: World, user: ModelUser) {
    const token = await signIn(model, world, user);
    assert.ok(token, `${user.label} got no access token`);
    remember(model, user);
    const set = applyChange(model, user, { ...this.change, emailVerified: false });
    await world.clients.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: changeRequest(set, false),
      }),
    );
    signalled(model, user, 'sub');
    return describeChange(this.change);
  }
  override toString() {
    return `${this.name}(#${this.pick}, ${describeChange(this.change)})`;
  }
}

class AdminUpdate extends UserCommand {
  readonly name = 'adminUpdate';
  constructor(
    pick: number,
    readonly by: By,
    readonly change: Change,
  ) {
    super(pick);
  }
  candidates(model: TracedModel) {
    return present(model);
  }
  async act(model: TracedModel, world: World, user: ModelUser) {
    const username = nameOf(world, user, this.by);
    remember(model, user);
    const set = applyChange(model, user, this.change);
    await world.clients.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: world.stack.userPoolId,
        Username: username,
        UserAttributes: changeRequest(set, true),
      }),
    );
    if (this.by === 'email' && this.change.email) {
      signalLost(model, user, 'admin-update-by-changed-email-lost');
    } else signalled(model, user, this.by);
    return `by ${this.by} ${describeChange(this.change)}`;
  }
  override toString() {
    return `${this.name}(#${this.pick} by ${this.by}, ${describeChange(this.change)})`;
  }
}

class SetEnabled extends UserCommand {
  constructor(
    pick: number,
    readonly by: By,
    readonly enabled: boolean,
  ) {
    super(pick);
  }
  get name() {
    return this.enabled ? 'enable' : 'disable';
  }
  candidates(model: TracedModel) {
    return present(model);
  }
  async act(model: TracedModel, world: World, user: ModelUser) {
    const request = { UserPoolId: world.stack.userPoolId, Username: nameOf(world, user, this.by) };
    await world.clients.cognito.send(
      this.enabled ? new AdminEnableUserCommand(request) : new AdminDisableUserCommand(request),
    );
    remember(model, user);
    user.enabled = this.enabled;
    signalled(model, user, this.by);
    return `by ${this.by}`;
  }
  override toString() {
    return `${this.name}(#${this.pick} by ${this.by})`;
  }
}

class SelfDelete extends UserCommand {
  readonly name = 'selfDelete';
  candidates(model: TracedModel) {
    return canSignIn(model);
  }
  async act(model: TracedModel, world: World, user: ModelUser) {
    const token = await signIn(model, world, user);
    assert.ok(token, `${user.label} got no access token`);
    await world.clients.cognito.send(new DeleteUserCommand({ AccessToken: token }));
    remember(model, user);
    user.deleted = true;
    signalled(model, user, 'sub');
    return '';
  }
}

class AdminDelete extends UserCommand {
  readonly name = 'adminDelete';
  constructor(
    pick: number,
    readonly by: By,
  ) {
    super(pick);
  }
  candidates(model: TracedModel) {
    return present(model);
  }
  async act(model: TracedModel, world: World, user: ModelUser) {
    await world.clients.cognito.send(
      new AdminDeleteUserCommand({
        UserPoolId: world.stack.userPoolId,
        Username: nameOf(world, user, this.by),
      }),
    );
    remember(model, user);
    user.deleted = true;
    if (this.by === 'email') signalLost(model, user, 'admin-delete-by-email-lost');
    else signalled(model, user, 'username');
    return `by ${this.by}`;
  }
  override toString() {
    return `${this.name}(#${this.pick} by ${this.by})`;
  }
}

class AppWrite extends UserCommand {
  readonly name = 'appWrite';
  constructor(
    pick: number,
    readonly field: string,
    readonly value: unknown,
  ) {
    super(pick);
  }
  candidates(model: TracedModel) {
    return model.users;
  }
  async act(model: TracedModel, world: World, user: ModelUser) {
    const key = world.mapping.keyAttribute;
    const result = await outcome(
      world.clients.dynamo.send(
        new UpdateCommand({
          TableName: world.stack.tableName,
          Key: { [key]: user.username },
          UpdateExpression: 'SET #field = :value',
          ConditionExpression: 'attribute_exists(#key)',
          ExpressionAttributeNames: { '#field': this.field, '#key': key },
          ExpressionAttributeValues: { ':value': this.value },
        }),
      ),
    );
    // Without change signals nothing writes in the background: the model knows whether the row is there.
    if (!model.signals && user.row !== 'maybe') {
      assert.equal(
        result === 'ok' ? 'a row' : result,
        user.row === 'yes' ? 'a row' : 'ConditionalCheckFailedException',
        `the app's write into ${user.label}'s row`,
      );
    }
    if (result === 'ok') {
      user.appFields[this.field] = this.value;
      user.row = 'yes';
      user.rowBy = 'call';
    } else {
      assert.equal(result, 'ConditionalCheckFailedException', `the app's write failed: ${result}`);
    }
    return `${this.field} = ${JSON.stringify(this.value)}: ${result === 'ok' ? 'written' : 'no row'}`;
  }
  override toString() {
    return `${this.name}(#${this.pick}, ${this.field} = ${JSON.stringify(this.value)})`;
  }
}

const pick = fc.nat({ max: 9 });

/**
 * The users a sequence starts with (one to three: signed up, signed up and
 * confirmed, or created by an admin), so that its operations have someone to act on.
 */
export const POOL_CAST: fc.Arbitrary<Command[]> = fc.array(
  fc.oneof(
    givenNameArb().map((name) => new SignUp(name, undefined)),
    givenNameArb().map((name) => new SignUp(name, undefined, true)),
    givenNameArb().map((name) => new AdminCreate(name)),
  ),
  { minLength: 1, maxLength: 3 },
);

function givenNameArb() {
  return fc.option(fc.constantFrom(...NAMES), { nil: undefined });
}
const by = fc.constantFrom<By>('username', 'email');
const givenName = givenNameArb();
const change = (admin: boolean) =>
  fc
    .record(
      {
        given_name: fc.constantFrom(...NAMES),
        family_name: fc.constantFrom(...NAMES),
        phone_number: fc.integer({ min: 1_000_000, max: 9_999_999 }).map((n) => `+1555${n}`),
        email: fc.constant(true),
        ...(admin ? { emailVerified: fc.boolean() } : {}),
      },
      { requiredKeys: [] },
    )
    .filter(
      (c: Change) =>
        c.given_name !== undefined ||
        c.family_name !== undefined ||
        c.phone_number !== undefined ||
        c.email === true,
    );

/** Every operation a pool sees, as command arbitraries for `fc.commands`. */
export const POOL_COMMANDS: fc.Arbitrary<Command>[] = [
  givenName.map((name) => new SignUp(name, undefined)),
  // Twice: a re-sign-up needs a deleted user whose address is free.
  pick.map((n) => new SignUp(undefined, n)),
  pick.map((n) => new SignUp(undefined, n)),
  pick.map((n) => new ConfirmSignUp(n)),
  fc.tuple(pick, by).map(([n, b]) => new AdminConfirm(n, b)),
  givenName.map((name) => new AdminCreate(name)),
  pick.map((n) => new SignIn(n)),
  pick.map((n) => new ForgotPassword(n)),
  fc.tuple(pick, change(false)).map(([n, c]) => new SelfUpdate(n, c)),
  fc.tuple(pick, by, change(true)).map(([n, b, c]) => new AdminUpdate(n, b, c)),
  fc.tuple(pick, by).map(([n, b]) => new SetEnabled(n, b, false)),
  fc.tuple(pick, by).map(([n, b]) => new SetEnabled(n, b, true)),
  pick.map((n) => new SelfDelete(n)),
  fc.tuple(pick, by).map(([n, b]) => new AdminDelete(n, b)),
  fc
    .tuple(
      pick,
      fc.constantFrom(...APP_FIELDS),
      fc.oneof(
        fc.constantFrom('free', 'pro', 'team'),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
      ),
    )
    .map(([n, field, value]) => new AppWrite(n, field, value)),
];
