// Identity: users and sign-up.
import type { Account } from "./accounts.d.mts";

export interface User {
  id: string;
  name: string;
  email: string;
  emailVerifiedAt: number | null;
  image: string | null;
  pronouns: string | null;
  location: string | null;
  /** ISO calendar date YYYY-MM-DD. */
  birthdate: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface SignUpInput {
  email: string;
  name: string;
  pronouns?: string;
  location?: string;
  birthdate?: string;
  image?: string;
}

export interface IdentityOperations {
  signUp(input: SignUpInput): Promise<{ user: User; account: Account }>;
  getUser(input: { id: string }): Promise<{ user: User }>;
}
