// Orders from retailers.

export interface OrdersOperations {}
