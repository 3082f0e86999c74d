-- CreateEnum
CREATE TYPE "ErasureSubjectType" AS ENUM ('CUSTOMER_EXTERNAL_ID', 'EMAIL');

-- CreateEnum
CREATE TYPE "ErasureStatus" AS ENUM ('SCHEDULED', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "erasure_requests" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "subject_type" "ErasureSubjectType" NOT NULL,
    "subject_hash" TEXT NOT NULL,
    "pending_subject" TEXT,
    "status" "ErasureStatus" NOT NULL,
    "status_description" TEXT,
    "initiator_key_id" UUID NOT NULL,
    "initiator_key_name" TEXT NOT NULL,
    "initiator_key_prefix" TEXT NOT NULL,
    "initiator_role" "Role" NOT NULL,
    "dry_run" BOOLEAN NOT NULL DEFAULT false,
    "customers" INTEGER,
    "orders" INTEGER,
    "order_items" INTEGER,
    "reviews" INTEGER,
    "questions" INTEGER,
    "seller_reviews" INTEGER,
    "remaining" INTEGER,
    "execute_after" TIMESTAMPTZ(3) NOT NULL,
    "claimed_at" TIMESTAMPTZ(3),
    "claim_token" UUID,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "erasure_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "erasure_requests_client_id_id_idx" ON "erasure_requests"("client_id", "id");

-- CreateIndex
CREATE INDEX "erasure_requests_client_id_status_id_idx" ON "erasure_requests"("client_id", "status", "id");

-- CreateIndex
CREATE INDEX "erasure_requests_client_id_subject_hash_status_idx" ON "erasure_requests"("client_id", "subject_hash", "status");

-- CreateIndex
CREATE INDEX "erasure_requests_status_execute_after_idx" ON "erasure_requests"("status", "execute_after");

-- AddForeignKey
ALTER TABLE "erasure_requests" ADD CONSTRAINT "erasure_requests_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;
