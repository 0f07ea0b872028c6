// Accounts and their owners.

export interface Account {
  id: string;
  name: string;
  kind: "personal" | "organization";
  createdAt: number;
  updatedAt: number;
}

export interface AccountsOperations {}
