// The webhooks feature's GraphQL types: endpoints, deliveries and their mutations.
import './webhook-endpoint.graphql.ts';
import './webhook-mutations.graphql.ts';
