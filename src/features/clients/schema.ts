// The clients feature's GraphQL types: the viewer (who is calling, with which role).
import './viewer.graphql.ts';
