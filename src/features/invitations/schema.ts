// The invitations feature's GraphQL types: review invitations, the policy, the mailer mutations.
import './invitation.graphql.ts';
import './invitation-mutations.graphql.ts';
