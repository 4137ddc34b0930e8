// Transactions, shared by every narrow store interface (store.h,
// standards_store.h): a write that spans two of them, e.g. a rating and its
// credential, is still one transaction.
#pragma once

#include <functional>

#include "common/status.h"

namespace cairn {

class Transactional {
 public:
  virtual ~Transactional() = default;

  // Runs `body` in a transaction: commits if it returns Ok, else rolls back
  // and returns its Status.
  virtual Status Transact(const std::function<Status()>& body) = 0;
  // Whether this connection is inside Transact (and so holds the write lock).
  virtual bool InTransaction() const = 0;
};

}  // namespace cairn
