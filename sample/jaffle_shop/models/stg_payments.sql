with source as (

    select * from raw_payments

),

renamed as (

    select
        id as payment_id,
        order_id,
        payment_method,

        -- The source stores amounts in cents; this converts them to dollars.
        amount / 100 as amount

    from source

)

select * from renamed
