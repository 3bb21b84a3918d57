-- Every read now applies certificate_state_of() (V24) to the current certificate it joins, the
-- list too: certificate_state(), which could not be inlined, cost about 25 µs on every row a
-- filtered page judged. Nothing calls it any more.
DROP FUNCTION certificate_state(char(32), timestamptz);
