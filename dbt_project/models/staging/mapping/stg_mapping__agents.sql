{# The confirmed mapping's `agents` table as `stames-sf map confirm` wrote it (mapping/warehouse.py). #}
with source as (select * from {{ source('mapping', 'agents') }})

select * from source
