// The orders feature's GraphQL types: customers, orders and their items, and the order mutations.
import './customer.graphql.ts';
import './order.graphql.ts';
import './order-mutations.graphql.ts';
