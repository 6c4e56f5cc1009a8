import Axiomatic.Basic
