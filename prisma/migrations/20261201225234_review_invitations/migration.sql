-- CreateEnum
CREATE TYPE "ReviewInvitationStatus" AS ENUM ('SCHEDULED', 'SENT', 'SKIPPED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "ReviewInvitationSkipReason" AS ENUM ('OPTED_OUT', 'ITEMS_CANCELLED', 'ALREADY_REVIEWED', 'FREQUENCY_CAP', 'POLICY_OFF', 'ERASED', 'NO_EMAIL');

-- AlterTable
ALTER TABLE "clients" ADD COLUMN     "invitation_delay_days" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "invitation_expiry_days" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "invitation_frequency_days" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "invitations_enabled" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "erasure_requests" ADD COLUMN     "review_invitations" INTEGER;

-- CreateTable
CREATE TABLE "review_invitations" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "status" "ReviewInvitationStatus" NOT NULL,
    "skip_reason" "ReviewInvitationSkipReason",
    "settled" BOOLEAN NOT NULL DEFAULT false,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_at" TIMESTAMPTZ(3),
    "leased_until" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "review_invitations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_invitation_items" (
    "invitation_id" UUID NOT NULL,
    "order_item_id" UUID NOT NULL,
    "link_used_at" TIMESTAMPTZ(3),
    "review_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_invitation_items_pkey" PRIMARY KEY ("invitation_id","order_item_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "review_invitations_order_id_key" ON "review_invitations"("order_id");

-- CreateIndex
CREATE INDEX "review_invitations_client_id_status_due_at_id_idx" ON "review_invitations"("client_id", "status", "due_at", "id");

-- CreateIndex
CREATE INDEX "review_invitations_client_id_id_idx" ON "review_invitations"("client_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "review_invitation_items_order_item_id_key" ON "review_invitation_items"("order_item_id");

-- CreateIndex
CREATE UNIQUE INDEX "review_invitation_items_review_id_key" ON "review_invitation_items"("review_id");

-- AddForeignKey
ALTER TABLE "review_invitations" ADD CONSTRAINT "review_invitations_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_invitations" ADD CONSTRAINT "review_invitations_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_invitation_items" ADD CONSTRAINT "review_invitation_items_invitation_id_fkey" FOREIGN KEY ("invitation_id") REFERENCES "review_invitations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_invitation_items" ADD CONSTRAINT "review_invitation_items_order_item_id_fkey" FOREIGN KEY ("order_item_id") REFERENCES "order_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_invitation_items" ADD CONSTRAINT "review_invitation_items_review_id_fkey" FOREIGN KEY ("review_id") REFERENCES "reviews"("id") ON DELETE SET NULL ON UPDATE CASCADE;
