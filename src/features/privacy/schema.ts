// The privacy feature's GraphQL types: personal-data lookup and erasure requests.
import './personal-data.graphql.ts';
import './erasure.graphql.ts';
import './erasure-mutations.graphql.ts';
