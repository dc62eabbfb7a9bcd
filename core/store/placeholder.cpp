// replaced by the store sources
