// The catalog feature's GraphQL types: products (the merchant's product feed).
import './product.graphql.ts';
