-- AlterTable
ALTER TABLE "erasure_requests" ADD COLUMN     "key_hashes" TEXT[] DEFAULT ARRAY[]::TEXT[];
